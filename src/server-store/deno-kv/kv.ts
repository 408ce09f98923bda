/**
 * The part of the Deno KV API the Deno KV driver uses, as a structural type: `Deno.Kv` (from
 * `Deno.openKv()`) and the `Kv` of `@deno/kv` (Node, Bun) both have it, so the store imports
 * neither.
 *
 * @module
 */

/** One part of a Deno KV key. */
export type DenoKvKeyPart = string | number | bigint | boolean | Uint8Array;

/** A Deno KV key: its parts, outermost first. */
export type DenoKvKey = readonly DenoKvKeyPart[];

/** What a read hands back: `versionstamp` is null when nothing is stored under the key. */
export interface DenoKvEntryMaybe {
  readonly value: unknown;
  readonly versionstamp: string | null;
}

/** One entry of a `list()`. */
export interface DenoKvListEntry {
  readonly key: readonly unknown[];
  readonly value: unknown;
  readonly versionstamp: string;
}

/** An atomic operation: every check passes and every mutation applies, or nothing does. */
export interface DenoKvAtomic {
  check(...checks: Array<{ key: DenoKvKey; versionstamp: string | null }>): DenoKvAtomic;
  set(key: DenoKvKey, value: unknown, options?: { expireIn?: number }): DenoKvAtomic;
  delete(key: DenoKvKey): DenoKvAtomic;
  /** Resolves `{ ok: false }` when a check failed (nothing was written). */
  commit(): Promise<{ readonly ok: boolean; readonly versionstamp?: string }>;
}

/**
 * A Deno KV database: `await Deno.openKv()` on Deno and Deno Deploy, or `await openKv()` from
 * `@deno/kv` on Node and Bun.
 */
export interface DenoKv {
  get(key: DenoKvKey): Promise<DenoKvEntryMaybe>;
  /** At most 10 keys at once. */
  getMany(keys: readonly DenoKvKey[]): Promise<readonly DenoKvEntryMaybe[]>;
  list(selector: { prefix: DenoKvKey }): AsyncIterable<DenoKvListEntry>;
  atomic(): DenoKvAtomic;
}
