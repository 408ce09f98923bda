/**
 * The `Store` interface: where session data lives between requests. A store is a small strategy
 * object; every method returns a Promise that rejects (with `ERR_SESSION_STORE`) when it cannot
 * do its work, so no failure is ever silent.
 *
 * @module
 */

import type { CookieOptions } from "./options.ts";

/**
 * Session data: JSON values by key, the default type parameter of `Session`. Narrow it with a
 * type or interface of your own: `Session<{ count: number }>`.
 */
export type SessionData = Record<string, unknown>;

/**
 * How old (ms) a session's last-seen time may get before a request that uses the session without
 * saving it records a new one with `touch()`: `lastSeenAt` is accurate to this, for at most one
 * extra store write per session per this long.
 */
export const TOUCH_INTERVAL = 5 * 60_000;

/** A session as a store hands it back. */
export interface StoredSession {
  id: string;
  data: Map<string, unknown>;
  /** When the session was first created (ms since the epoch), for the absolute lifetime cap. */
  createdAt: number;
  /** When it expires unless saved or refreshed again (ms since the epoch). */
  expiresAt: number;
  /**
   * When a request last used it (ms since the epoch), for server stores that keep it; undefined
   * for an entry written before they did. The jar calls `touch()` when it is `TOUCH_INTERVAL` old.
   */
  lastSeenAt?: number;
  /**
   * For stores that keep flashes one by one: the id of each stored flash under each flash key,
   * in the order of `data.get(key)`.
   */
  flashIds?: Map<string, string[]>;
}

/** The flashes of one key that a save changes. */
export interface FlashWrite {
  /** Ids of stored flashes that `flashes()` took: a server store deletes exactly these. */
  taken: readonly string[];
  /** Flashes added since the last save, each with a new id that sorts after older ones. */
  added: ReadonlyArray<readonly [id: string, value: unknown]>;
}

/** What `save()` asks a store to persist: the whole data and exactly what changed since loading. */
export interface SessionWrite {
  id: string;
  /**
   * The id before `regenerate()`, set only when the store held it: a server store deletes its
   * entry in the same step as it writes `id`, and only if the entry still exists; if it is gone,
   * nothing is written and `save()` resolves `undefined`, as for `mustExist`.
   */
  previousId: string | undefined;
  /** Everything the session holds now. */
  data: ReadonlyMap<string, unknown>;
  /** Keys set since loading. A server store writes only these, so concurrent requests keep each other's keys. */
  changed: ReadonlySet<string>;
  /** Keys deleted since loading. */
  deleted: ReadonlySet<string>;
  /** Whether every stored key is dropped before the changes apply (`clear()`, `regenerate()`). */
  cleared: boolean;
  createdAt: number;
  expiresAt: number;
  /**
   * Flash keys touched since loading. Their keys are also in `changed`/`deleted`, so a store may
   * treat them as plain data; a server store that keeps flashes one by one applies these instead,
   * so a flash taken by one request is not brought back by another that added one.
   */
  flashes: ReadonlyMap<string, FlashWrite>;
  /** The id of each flash held now, by key, in order (see `StoredSession.flashIds`). */
  flashIds: ReadonlyMap<string, readonly string[]>;
  /**
   * The store held an entry under `id` when this request began (or already wrote it): the write
   * may update that entry but never create it. If it is gone (destroyed by another request or by
   * `destroyAll`, expired, evicted), a server store writes nothing and resolves `undefined`, so a
   * late save cannot bring a logged-out session back. Absent means `false`: new sessions are
   * written whether or not anything is stored under them; a regenerated id is written only if its
   * `previousId` (when set) still exists.
   */
  mustExist?: boolean;
}

/** One live session of an owner, as `list(owner)` reports it. */
export interface SessionInfo {
  id: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /**
   * When a request last used the session (ms since the epoch): accurate to 5 minutes for a session
   * in use. A session written before the store kept it reports its `createdAt` until next used.
   */
  lastSeenAt: number;
  /**
   * The values of the store's `listed` data keys that the session holds (plain values, not
   * flashes). Present, possibly empty, when the store was built with `listed`; absent otherwise.
   */
  data?: Record<string, unknown>;
}

/** What `destroyAll(owner, options)` spares. */
export interface DestroyAllOptions {
  /** The id of a session to keep (usually the current one: "sign out everywhere else"). */
  except?: string;
}

/**
 * Where sessions are kept. Implemented by `CookieStore`, `MemoryStore`, `UpstashRedisStore` and
 * `RedisStore`.
 *
 * @example
 * ```ts
 * import type { Store } from "web-sessions";
 *
 * function describe(store: Store) {
 *   return store.cookie?.maxAge ?? "default lifetime";
 * }
 * ```
 */
export interface Store {
  /** Cookie options this store was built with; the middleware's and the session's override them. */
  readonly cookie?: CookieOptions;
  /** How many cookies one session may be split over (see `CookieStore`'s `chunks`). @default 1 */
  readonly chunks?: number;
  /**
   * The most bytes a session split over several cookies may add to the `Cookie` header, all chunks
   * together (see `CookieStore`'s `maxHeaderBytes`). @default 8192
   */
  readonly maxHeaderBytes?: number;
  /**
   * A cheap check of a cookie value's shape: no crypto, no I/O. It must accept every value `load`
   * could open; it may refuse values whose key id names none of the store's keys. Values it refuses
   * are skipped unread and do not count toward the few values of one duplicated cookie name that
   * are tried, so junk planted ahead of the real cookie cannot push it out. Without it, every value
   * is tried and counts.
   */
  isWellFormed?(cookieValue: string): boolean;
  /** Opens a cookie value. Resolves `undefined` for a forged, foreign, expired or unknown one. */
  load(name: string, cookieValue: string): Promise<StoredSession | undefined>;
  /**
   * What `load` would resolve, when the store can tell at once from memory (no crypto, no I/O),
   * else `undefined`, and the jar calls `load`. It must only answer for a value `load` would open
   * to the same session. With it a request whose cookie the store has just seen opens its session
   * without a promise (`CookieStore`'s opened-value cache).
   */
  loadNow?(name: string, cookieValue: string): StoredSession | undefined;
  /**
   * Persists a session and resolves the cookie value that now identifies it, or `undefined` when
   * the write was `mustExist` and the session no longer exists (nothing was written).
   */
  save(name: string, write: SessionWrite): Promise<string | undefined>;
  /** Deletes a session (a no-op for stores that keep nothing server-side). */
  destroy(name: string, id: string): Promise<void>;
  /**
   * Records that a request used session `id` at `at` (ms since the epoch) without saving it: a
   * write of its last-seen time only, only if the entry still exists (so it never brings back a
   * destroyed session, nor changes its data or expiry), and only if the stored time is at least
   * `TOUCH_INTERVAL` older than `at` (so requests racing each other write it once). The jar calls
   * it when the loaded `lastSeenAt` is that old, and ignores its failure. Stores that keep nothing
   * server-side have none.
   */
  touch?(name: string, id: string, at: number): Promise<void>;
}

/**
 * A store that keeps sessions server-side and, with its `owner` option, an index owner → sessions
 * (`MemoryStore`, `UpstashRedisStore`, `RedisStore`).
 *
 * @example
 * ```ts
 * import type { ServerSessionStore } from "web-sessions";
 *
 * async function signOutEverywhereElse(store: ServerSessionStore, userId: string, currentId: string) {
 *   return store.destroyAll(userId, { except: currentId });
 * }
 * ```
 */
export interface ServerSessionStore extends Store {
  /**
   * The live sessions of `owner` (any order). Throws `ERR_SESSION_CONFIG` when the store was built
   * without `owner`.
   */
  list(owner: string): Promise<SessionInfo[]>;
  /**
   * Destroys every session of `owner` but `except`, and resolves how many were destroyed. Final:
   * a request that loaded one of them earlier cannot save it back. Throws `ERR_SESSION_CONFIG`
   * when the store was built without `owner`.
   */
  destroyAll(owner: string, options?: DestroyAllOptions): Promise<number>;
}
