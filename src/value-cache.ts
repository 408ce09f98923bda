/**
 * The opened-value cache: for each exact cookie value this process sealed or authenticated, what
 * it holds, so a later request carrying the same value skips the cipher or the MAC.
 *
 * A browser sends back the value it was last given, so most requests carry a value this process
 * has just sealed or already opened. Only values that were sealed here or passed `decrypt`/`verify`
 * are ever put in (see SECURITY.md, "The opened-value cache"): a value that is not in the cache
 * takes the full cryptographic path, so a forged one gains nothing. Entries are bound to the cookie
 * name they were sealed for, as the cipher binds them, and expire when the value does.
 *
 * Held per entry: the value itself (the key), the cookie name, the opened text and the expiry.
 * Bounded in entries and in bytes: one entry of a session over 10 chunks is about 140 KB (a 40 KB
 * value and its text, two bytes a character), so 1000 of them would be 140 MB.
 * The key id needs no field of its own: it is the value's first part, and a save always seals with
 * the newest secret whatever the key id of the value it replaces.
 *
 * @module
 */

interface Entry {
  value: string;
  name: string;
  // Handed out as it is by every hit: what it opened to, and what the store made of that.
  opened: CachedValue;
  // What the value and text take, two bytes a character (V8 keeps most strings in one byte a
  // character; counting two keeps the bound safe for any text).
  bytes: number;
  // The recency list, as in MemoryStore: `older` points toward the least recently used entry.
  older: Entry | undefined;
  newer: Entry | undefined;
}

/**
 * What the cache hands back: the opened text and its expiry (ms since the epoch). The same object
 * on every hit of a value, so a store may keep in `decoded` what it made of the text (the parsed
 * session) and skip that work on the next hit. Shared between requests: read it, copy from it,
 * never hand it (or `decoded`) out or change it.
 */
export interface CachedValue {
  readonly text: string;
  readonly expiresAt: number;
  decoded?: unknown;
}

// Entries are found by the value's last characters, then the whole value is compared: hashing a
// 400-character cookie value on every lookup cost about 1 µs of a 30 µs request (Node 20). The end
// of every value this cache holds is a GCM tag or an HMAC, so tails of different values coincide
// only by chance (132 bits); a value with a held value's tail but not its body is a miss.
const TAIL = 22;
const tail = (value: string) => (value.length > TAIL ? value.slice(-TAIL) : value);

/** The default bound on what the values and texts held take: 4 MiB. */
export const DEFAULT_MAX_BYTES = 4 * 2 ** 20;

/**
 * A least-recently-used map from cookie value to opened text, at most `maxEntries` long and at
 * most `maxBytes` of values and texts (two bytes a character).
 *
 * A linked list through the entries rather than re-inserting into the Map and evicting from the
 * front of its iteration: that iteration walks over the holes deleted entries leave (see
 * MemoryStore), and a session that is saved on every request puts a new value in each time.
 *
 * @example
 * ```ts
 * import { ValueCache } from "./value-cache.ts";
 *
 * const cache = new ValueCache(1000);
 * cache.set("session", sealedValue, text, expiresAt);
 * cache.get("session", sealedValue)?.text; // text, until it expires or is evicted
 * ```
 */
export class ValueCache {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  #oldest: Entry | undefined;
  #newest: Entry | undefined;
  #bytes = 0;
  // The entry the last has() found: a request asks has() (is it well formed?) and then get() for
  // the same value, and this spares get() the second lookup. Dropped with its entry.
  #found: Entry | undefined;

  constructor(maxEntries: number, maxBytes: number = DEFAULT_MAX_BYTES) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** How many values are held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** What the values and texts held now take, two bytes a character. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The text `value` opened to under the cookie `name`, if it is held and not expired at `now`.
   * An expired entry is dropped; the caller then takes the full path, which refuses it too.
   */
  get(name: string, value: string, now: number = Date.now()): CachedValue | undefined {
    const entry = this.#found?.value === value ? this.#found : this.#entries.get(tail(value));
    if (!entry || entry.value !== value || entry.name !== name) return undefined;
    if (entry.opened.expiresAt <= now) {
      this.#remove(entry);
      return undefined;
    }
    this.#touch(entry);
    return entry.opened;
  }

  /** Whether `value` is held (under any cookie name, expired or not): it has the shape of a value this process sealed. */
  has(value: string): boolean {
    const entry = this.#entries.get(tail(value));
    if (entry?.value !== value) return false;
    this.#found = entry;
    return true;
  }

  /**
   * Holds `value` (sealed or authenticated here for the cookie `name`) with the text it opens to,
   * and returns what later hits hand back (a new object, also when it is too large to be held).
   */
  set(name: string, value: string, text: string, expiresAt: number): CachedValue {
    const opened: CachedValue = { text, expiresAt };
    let entry = this.#entries.get(tail(value));
    const bytes = 2 * (value.length + text.length);
    if (bytes > this.#maxBytes) {
      // Too large to hold at all: it pushes nothing out, and an older entry under its key goes.
      if (entry) this.#remove(entry);
      return opened;
    }
    if (entry) {
      this.#bytes += bytes - entry.bytes;
      entry.value = value;
      entry.name = name;
      entry.opened = opened;
      entry.bytes = bytes;
    } else {
      entry = { value, name, opened, bytes, older: undefined, newer: undefined };
      this.#entries.set(tail(value), entry);
      this.#bytes += bytes;
      if (this.#entries.size > this.#maxEntries) this.#remove(this.#oldest!);
    }
    this.#touch(entry);
    // The entry just touched is the newest and fits alone, so this stops before reaching it.
    while (this.#bytes > this.#maxBytes) this.#remove(this.#oldest!);
    return opened;
  }

  #remove(entry: Entry): void {
    if (this.#found === entry) this.#found = undefined;
    this.#entries.delete(tail(entry.value));
    this.#bytes -= entry.bytes;
    const { older, newer } = entry;
    if (older) older.newer = newer;
    else this.#oldest = newer;
    if (newer) newer.older = older;
    else this.#newest = older;
    entry.older = entry.newer = undefined;
  }

  /** Makes `entry` the most recently used, linking it in if it is new. */
  #touch(entry: Entry): void {
    if (this.#newest === entry) return;
    const { older, newer } = entry;
    if (newer) {
      // In the list: unlink it first.
      newer.older = older;
      if (older) older.newer = newer;
      else this.#oldest = newer;
    }
    entry.older = this.#newest;
    entry.newer = undefined;
    if (this.#newest) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }
}
