/**
 * What the Worker and a `SessionsObject` say to each other over RPC, and how objects are named.
 *
 * Layout: one object per session (named `"session:" + id`) holds its values, its flashes one by
 * one, its owner and its expiry; one object per owner (`"owner:" + name`) holds the owner's index,
 * the ids of sessions that are or were recently that owner's. The session's object is the source of
 * truth: the index may hold stale ids, which `list()` and `destroyAll()` check with each session's
 * object and prune (see driver.ts for why that stays correct without a transaction over two objects).
 *
 * @module
 */

/** A session as its object hands it over: values and flashes as JSON text, flashes in order. */
export interface SessionRecord {
  createdAt: number;
  expiresAt: number;
  /** Undefined for a session written before objects kept it. */
  lastSeenAt: number | undefined;
  values: Array<[key: string, json: string]>;
  flashes: Array<[key: string, id: string, json: string]>;
}

/**
 * What a session's object says about it when the owner index asks (`info`) or ends it (`end`):
 * - `live`: a live session of the owner asked about (`info` adds when it was last seen and the JSON of
 *   the listed keys it holds);
 * - `ended`: it was live (and of that owner, if one was named) and has just been destroyed;
 * - `gone`: destroyed or expired before: final, the object never takes a write again. When a save
 *   after `regenerate()` ended it, `successor` names the new id and the expiry that save announced,
 *   so `destroyAll()` can end the session where it moved (see driver.ts);
 * - `other`: live, but of another owner or of none;
 * - `empty`: nothing was ever written (or the expiry alarm swept it): a save may be on its way.
 */
export type SessionState =
  | { state: "live"; createdAt: number; expiresAt: number; lastSeenAt?: number | undefined; values?: Array<[key: string, json: string]> }
  | { state: "ended"; owner: string | null }
  | { state: "gone"; successor?: Successor }
  | { state: "other" }
  | { state: "empty" };

/** The id a session moved to when a save after `regenerate()` ended it, and that save's expiry (ms). */
export interface Successor {
  id: string;
  until: number;
}

/** The name of the object that holds session `id`. */
export function sessionObjectName(id: string): string {
  return "session:" + id;
}

/** The name of the object that holds the index of `owner`. */
export function ownerObjectName(owner: string): string {
  return "owner:" + owner;
}
