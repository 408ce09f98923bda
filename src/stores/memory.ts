/**
 * `MemoryStore`: sessions in this process's memory, the cookie carrying only a signed id.
 *
 * @module
 */

import { Codec, normalizeSecrets } from "../codec.ts";
import { assertConfig } from "../errors.ts";
import { checkCookieOptions } from "../options.ts";
import type { CookieOptions } from "../options.ts";
import type { SessionWrite, Store, StoredSession } from "../store.ts";
import { encodeJson, toSeconds } from "./json.ts";

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** One secret, or several newest first, that sign the session id. Each at least 32 characters. */
  secrets: string | readonly string[];
  /** The most sessions kept; past it the least recently used is dropped. @default 10000 */
  maxEntries?: number;
  /** Cookie options for sessions in this store. */
  cookie?: CookieOptions;
}

interface Entry {
  // Values stay JSON text: a loaded session gets its own copies, and only changed keys are re-encoded.
  values: Map<string, string>;
  // Flashes one by one (key → flash id → JSON), so taking some never drops others added meanwhile.
  flashes: Map<string, Map<string, string>>;
  createdAt: number;
  expiresAt: number;
}

// Each save looks at this many least recently used entries and drops the expired ones.
const SWEEP = 4;

/**
 * The embedded default for one process (development, a single server): data in memory, bounded by
 * `maxEntries`, expired entries evicted. Saves write only the keys that changed, so concurrent
 * requests on one session keep each other's updates. Sessions are lost on restart and not shared
 * between processes: use `UpstashRedisStore` for that.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "web-sessions";
 *
 * const store = new MemoryStore({ secrets: process.env.SESSION_SECRET!, maxEntries: 50_000 });
 * ```
 */
export class MemoryStore implements Store {
  readonly cookie: CookieOptions | undefined;
  readonly #codec: Codec;
  readonly #maxEntries: number;
  // A Map iterates in insertion order: re-inserting on use keeps it least-recently-used first.
  readonly #entries = new Map<string, Entry>();

  constructor({ secrets, maxEntries = 10_000, cookie }: MemoryStoreOptions) {
    this.#codec = new Codec(normalizeSecrets(secrets, "MemoryStore"));
    assertConfig(Number.isInteger(maxEntries) && maxEntries > 0, "MemoryStore: maxEntries must be a positive integer");
    checkCookieOptions(cookie, "MemoryStore");
    this.#maxEntries = maxEntries;
    this.cookie = cookie;
  }

  /** How many sessions are held now. */
  get size(): number {
    return this.#entries.size;
  }

  async load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    const opened = await this.#codec.verify(name, cookieValue);
    if (!opened) return undefined;
    const id = opened.text;
    const entry = this.#live(id);
    if (!entry) return undefined;
    this.#touch(id, entry);
    const data = new Map<string, unknown>();
    for (const [key, json] of entry.values) data.set(key, JSON.parse(json));
    const flashIds = new Map<string, string[]>();
    for (const [key, flashes] of entry.flashes) {
      data.set(key, [...flashes.values()].map((json) => JSON.parse(json)));
      flashIds.set(key, [...flashes.keys()]);
    }
    return { id, data, createdAt: entry.createdAt, expiresAt: entry.expiresAt, flashIds };
  }

  async save(name: string, write: SessionWrite): Promise<string> {
    // Encode before touching the entry, so data that is not JSON changes nothing.
    const changed = [...write.changed].filter((key) => !write.flashIds.has(key)).map((key) => [key, encodeJson(write.data.get(key))] as const);
    const flashes = [...write.flashes].map(([key, { taken, added }]) => ({ key, taken, added: added.map(([id, value]) => [id, encodeJson(value)] as const) }));
    if (write.previousId) this.#entries.delete(write.previousId);
    let entry = this.#live(write.id);
    if (!entry || write.cleared) {
      // No entry to merge into (new, regenerated, cleared, or evicted since it was loaded): write it whole.
      entry = wholeEntry(write);
    } else {
      for (const key of write.deleted) entry.values.delete(key);
      for (const [key, json] of changed) entry.values.set(key, json);
      for (const { key, taken, added } of flashes) {
        const kept = entry.flashes.get(key) ?? new Map<string, string>();
        for (const id of taken) kept.delete(id);
        for (const [id, json] of added) kept.set(id, json);
        if (kept.size > 0) entry.flashes.set(key, kept);
        else entry.flashes.delete(key);
        // Flashes replace a plain value that was stored under the same key.
        if (write.flashIds.has(key)) entry.values.delete(key);
      }
    }
    entry.expiresAt = write.expiresAt;
    this.#touch(write.id, entry);
    this.#evict();
    return this.#codec.sign(name, write.id, toSeconds(write.expiresAt));
  }

  async destroy(_name: string, id: string): Promise<void> {
    this.#entries.delete(id);
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry && entry.expiresAt <= Date.now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  #touch(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#entries.set(id, entry);
  }

  #evict(): void {
    const now = Date.now();
    let looked = 0;
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size > this.#maxEntries || entry.expiresAt <= now) this.#entries.delete(id);
      else if (++looked >= SWEEP) break;
    }
  }
}

/** An entry holding everything a session holds now, flashes one by one. */
function wholeEntry(write: SessionWrite): Entry {
  const entry: Entry = { values: new Map(), flashes: new Map(), createdAt: write.createdAt, expiresAt: 0 };
  for (const [key, value] of write.data) {
    const ids = write.flashIds.get(key);
    if (ids && Array.isArray(value) && ids.length === value.length) {
      entry.flashes.set(key, new Map(ids.map((id, i) => [id, encodeJson(value[i])])));
    } else {
      entry.values.set(key, encodeJson(value));
    }
  }
  return entry;
}
