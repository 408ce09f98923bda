/**
 * The entries this store read or wrote last, with their versionstamps: a save's first commit is
 * checked against what its request loaded instead of reading the entry again, so a request that
 * loads and saves costs one read and one commit. Only a guess: when another request wrote
 * meanwhile the check fails and the save reads the entry afresh. Bounded in entries and bytes.
 *
 * @module
 */

import type { DenoKvEntryMaybe } from "./kv.ts";

const MAX_ENTRIES = 1000;
const MAX_BYTES = 2 * 2 ** 20;

export class RecentEntries {
  // Map order is recency order: the first key is the least recently used.
  readonly #entries = new Map<string, { value: Uint8Array; versionstamp: string }>();
  #bytes = 0;

  get(id: string): DenoKvEntryMaybe | undefined {
    return this.#entries.get(id);
  }

  /** Remembers what is stored under `id` now; anything that is not one of our entries is forgotten. */
  set(id: string, value: unknown, versionstamp: string | null | undefined): void {
    this.delete(id);
    if (!(value instanceof Uint8Array) || !versionstamp) return;
    this.#entries.set(id, { value, versionstamp });
    this.#bytes += value.byteLength;
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= MAX_ENTRIES && this.#bytes <= MAX_BYTES) break;
      this.delete(oldest);
    }
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#bytes -= entry.value.byteLength;
  }
}
