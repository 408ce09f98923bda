/**
 * web-sessions: sessions for every runtime that speaks Web-standard `Request`/`Response`.
 *
 * @example
 * ```ts
 * import { CookieStore, MemoryStore, SessionError, getSession, withSessions } from "web-sessions";
 * ```
 *
 * @module
 */

export { SessionError } from "./errors.ts";
export type { SessionErrorCode } from "./errors.ts";
export type { CookieOptions, SameSite } from "./options.ts";
export { Session } from "./session.ts";
export type {
  DestroyAllOptions,
  FlashWrite,
  ServerSessionStore,
  SessionData,
  SessionInfo,
  SessionWrite,
  Store,
  StoredSession,
} from "./store.ts";
export type { SessionsConfig, SessionsOptions } from "./jar.ts";
export { getSession, loadSession, withSessions } from "./with-sessions.ts";
export type { FetchHandler } from "./with-sessions.ts";
export { CookieStore } from "./stores/cookie.ts";
export type { CookieStoreOptions } from "./stores/cookie.ts";
export type { CookieReader } from "./stores/cookie-format.ts";
export { MemoryStore } from "./stores/memory.ts";
export type { MemoryStoreOptions } from "./stores/memory.ts";
