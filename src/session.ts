/**
 * `Session`: one named session's data, flashes, per-session cookie options and change tracking.
 *
 * @module
 */

import { newSessionId } from "./codec.ts";
import { assertConfig } from "./errors.ts";
import { checkCookieOptions } from "./options.ts";
import type { CookieOptions } from "./options.ts";
import type { SessionData, StoredSession } from "./store.ts";

/** The default key of flash messages, as in gorilla/sessions. */
export const FLASH_KEY = "_flash";

/** What a session's owner (the per-request jar) does when the session is saved or destroyed. */
export interface SessionOwner {
  save(state: SessionState): Promise<void>;
  destroy(state: SessionState): Promise<void>;
}

/** A session's data and what changed since it was loaded. Shared by the `Session` and its jar. */
export class SessionState {
  id: string;
  isNew: boolean;
  /** Whether the store holds an entry under `id` (loaded, or saved during this request). */
  stored: boolean;
  previousId: string | undefined;
  data: Map<string, unknown>;
  createdAt: number;
  expiresAt: number;
  options: CookieOptions = {};
  modified = false;
  cleared = false;
  changed: Set<string> = new Set<string>();
  deleted: Set<string> = new Set<string>();

  constructor(readonly name: string, stored?: StoredSession) {
    this.id = stored?.id ?? newSessionId();
    this.isNew = !stored;
    this.stored = !!stored;
    this.data = stored?.data ?? new Map();
    this.createdAt = stored?.createdAt ?? Date.now();
    this.expiresAt = stored?.expiresAt ?? 0;
  }

  set(key: string, value: unknown): void {
    if (value === undefined) return this.delete(key);
    this.data.set(key, value);
    this.changed.add(key);
    this.deleted.delete(key);
    this.modified = true;
  }

  delete(key: string): void {
    if (!this.data.delete(key)) return;
    this.changed.delete(key);
    this.deleted.add(key);
    this.modified = true;
  }

  clear(): void {
    if (this.data.size === 0) return;
    this.data.clear();
    this.changed.clear();
    this.deleted.clear();
    this.cleared = true;
    this.modified = true;
  }

  /** Gives the data a new id; the whole data is written under it at the next save. */
  regenerate(): void {
    if (this.stored) this.previousId ??= this.id;
    this.stored = false;
    this.id = newSessionId();
    this.cleared = true;
    this.changed = new Set(this.data.keys());
    this.deleted.clear();
    this.modified = true;
  }

  /** After a successful save: what is stored now is the baseline. */
  markSaved(expiresAt: number): void {
    this.expiresAt = expiresAt;
    this.stored = true;
    this.previousId = undefined;
    this.modified = this.cleared = false;
    this.changed.clear();
    this.deleted.clear();
  }

  /** After destroy: an empty, unsaved session with a fresh id. */
  reset(): void {
    Object.assign(this, new SessionState(this.name));
  }
}

/**
 * One named session of the current request. Get it with `getSession`.
 *
 * Nothing is written unless the session was modified and `save()` is called (or `autoSave` is on):
 * reading costs no store write and sends no `Set-Cookie`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { MemoryStore } from "web-sessions";
 * import { sessions, getSession } from "web-sessions/hono";
 *
 * const app = new Hono();
 * app.use(sessions("session", new MemoryStore({ secrets: process.env.SESSION_SECRET! })));
 * app.get("/incr", async (c) => {
 *   const session = getSession<{ count: number }>(c);
 *   session.set("count", (session.get("count") ?? 0) + 1);
 *   await session.save();
 *   return c.json({ count: session.get("count") });
 * });
 * ```
 */
export class Session<Data extends object = SessionData> {
  readonly #state: SessionState;
  readonly #owner: SessionOwner;

  constructor(state: SessionState, owner: SessionOwner) {
    this.#state = state;
    this.#owner = owner;
  }

  /** The cookie name this session lives under. */
  get name(): string {
    return this.#state.name;
  }

  /** Identifies the session for its whole life (until `regenerate()`); 128 random bits. Not user data. */
  get id(): string {
    return this.#state.id;
  }

  /** True when the request carried no valid session, so this one was just created. */
  get isNew(): boolean {
    return this.#state.isNew;
  }

  /** The value stored under `key`, or `undefined`. Mutating a returned object changes nothing until `set()`. */
  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    return this.#state.data.get(key) as Data[K] | undefined;
  }

  /** Stores a JSON value under `key`. Setting `undefined` deletes the key. */
  set<K extends keyof Data & string>(key: K, value: Data[K]): void {
    this.#state.set(key, value);
  }

  /** Removes `key`. */
  delete(key: keyof Data & string): void {
    this.#state.delete(key);
  }

  /** Removes every key. */
  clear(): void {
    this.#state.clear();
  }

  /** Adds a flash message: a value that `flashes()` returns once. */
  addFlash(value: unknown, key: string = FLASH_KEY): void {
    const queued = this.#state.data.get(key);
    this.#state.set(key, Array.isArray(queued) ? [...queued, value] : [value]);
  }

  /** Returns the flash messages under `key` and removes them (save the session to make that stick). */
  flashes<T = unknown>(key: string = FLASH_KEY): T[] {
    const queued = this.#state.data.get(key);
    if (queued === undefined) return [];
    this.#state.delete(key);
    return (Array.isArray(queued) ? queued : [queued]) as T[];
  }

  /**
   * Overrides cookie options for this session. `maxAge <= 0` deletes the session at `save()`.
   * Throws `ERR_SESSION_CONFIG` for an option no browser would accept.
   */
  options(options: CookieOptions): void {
    const { maxAge, ...rest } = options;
    assertConfig(maxAge === undefined || Number.isFinite(maxAge), `session.options: maxAge must be a number of seconds`);
    checkCookieOptions(rest, "session.options");
    Object.assign(this.#state.options, options);
    this.#state.modified = true;
  }

  /**
   * Persists the session and queues its `Set-Cookie`. A no-op when nothing was modified.
   * Rejects with `ERR_SESSION_STORE` or `ERR_SESSION_COOKIE_TOO_LARGE`, never silently.
   */
  save(): Promise<void> {
    return this.#owner.save(this.#state);
  }

  /** Moves the data to a new id (call it at login, against session fixation). The old id dies at the next save. */
  async regenerate(): Promise<void> {
    this.#state.regenerate();
  }

  /** Deletes the session from the store and queues a `Set-Cookie` that removes the cookie. No `save()` needed. */
  destroy(): Promise<void> {
    return this.#owner.destroy(this.#state);
  }
}
