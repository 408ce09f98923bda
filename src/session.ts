/**
 * `Session`: one named session's data, flashes, per-session cookie options and change tracking.
 *
 * @module
 */

import { newSessionId } from "./codec.ts";
import { SessionError, assertConfig } from "./errors.ts";
import { checkCookieOptions } from "./options.ts";
import type { CookieOptions } from "./options.ts";
import type { SessionData, StoredSession } from "./store.ts";

/** The flashes of one key changed since the last save (see `FlashWrite`). */
interface FlashChange {
  taken: string[];
  added: [id: string, value: unknown][];
}

let flashSequence = 0;

/** A flash id that sorts after earlier ones: time, then a per-process sequence, then randomness. */
function newFlashId(): string {
  flashSequence = (flashSequence + 1) % 36 ** 4;
  const random = crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36).padStart(7, "0");
  return Date.now().toString(36).padStart(9, "0") + flashSequence.toString(36).padStart(4, "0") + random;
}

/** The default key of flash messages, as in gorilla/sessions. */
export const FLASH_KEY = "_flash";

/**
 * The data key under which the path, domain and `persistent` set with `options()` are stored with
 * the session, so that a later request saves and deletes the cookie where it lives, and keeps a
 * browser-session cookie one. Kept in the data, every store persists it as it is; `Session` never
 * shows it and refuses it as a key of the app's.
 */
const PLACEMENT_KEY = "web-sessions:cookie";

function reserved(key: string): string {
  if (key === PLACEMENT_KEY) throw new SessionError("ERR_SESSION_DATA", `"${key}" is a reserved session key`);
  return key;
}

/** The path, domain and persistence of `options`, or undefined when it sets none of them. */
function placementOf({ path, domain, persistent }: CookieOptions): CookieOptions | undefined {
  if (path === undefined && domain === undefined && persistent === undefined) return undefined;
  const placement: CookieOptions = {};
  if (path !== undefined) placement.path = path;
  if (domain !== undefined) placement.domain = domain;
  if (persistent !== undefined) placement.persistent = persistent;
  return placement;
}

/** The options of a stored placement, if it still passes the checks. */
function storedPlacement(value: unknown): CookieOptions {
  const placement = typeof value === "object" && value !== null ? placementOf(value) : undefined;
  try {
    checkCookieOptions(placement, "stored session");
    return placement ?? {};
  } catch {
    return {};
  }
}

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
  /** The id of each flash held, by key, aligned with the array in `data`. */
  flashIds: Map<string, string[]>;
  flashes: Map<string, FlashChange> = new Map<string, FlashChange>();

  constructor(readonly name: string, stored?: StoredSession) {
    this.id = stored?.id ?? newSessionId();
    this.isNew = !stored;
    this.stored = !!stored;
    this.data = stored?.data ?? new Map();
    this.createdAt = stored?.createdAt ?? Date.now();
    this.expiresAt = stored?.expiresAt ?? 0;
    this.flashIds = stored?.flashIds ?? new Map();
    if (this.data.has(PLACEMENT_KEY)) this.options = storedPlacement(this.data.get(PLACEMENT_KEY));
  }

  set(key: string, value: unknown): void {
    if (value === undefined) return this.delete(key);
    // Overwriting flashes with a plain value: the stored flashes go, the key becomes plain data.
    if (this.flashIds.has(key)) this.#takeFlashIds(key);
    this.#put(key, value);
  }

  delete(key: string): void {
    if (!this.data.delete(key)) return;
    if (this.flashIds.has(key)) this.#takeFlashIds(key);
    this.changed.delete(key);
    this.deleted.add(key);
    this.modified = true;
  }

  clear(): void {
    const placement = this.data.get(PLACEMENT_KEY);
    if (this.data.size === (placement === undefined ? 0 : 1)) return;
    this.data.clear();
    this.changed.clear();
    this.deleted.clear();
    this.flashIds.clear();
    this.flashes.clear();
    this.cleared = true;
    this.modified = true;
    // The cookie stays where it is: the placement is written again with what is left.
    if (placement !== undefined) this.#put(PLACEMENT_KEY, placement);
  }

  /** Overrides cookie options; a path, domain or persistence is stored with the session (see `PLACEMENT_KEY`). */
  setOptions(options: CookieOptions): void {
    Object.assign(this.options, options);
    this.modified = true;
    if (!("path" in options || "domain" in options || "persistent" in options)) return;
    const placement = placementOf(this.options);
    if (placement) this.#put(PLACEMENT_KEY, placement);
    else this.delete(PLACEMENT_KEY);
  }

  addFlash(key: string, value: unknown): void {
    const queued = this.data.get(key);
    const list = queued === undefined ? [] : Array.isArray(queued) ? [...queued] : [queued];
    const ids = this.flashIds.get(key) ?? [];
    // Values that were set as plain data get ids now, so every flash under the key has one.
    for (let i = ids.length; i < list.length; i++) this.#addFlashId(key, ids, list[i]);
    list.push(value);
    this.#put(key, list);
    this.#addFlashId(key, ids, value);
  }

  /** Removes and returns the flashes under `key`. */
  takeFlashes(key: string): unknown[] {
    const queued = this.data.get(key);
    if (queued === undefined) return [];
    this.delete(key);
    return Array.isArray(queued) ? queued : [queued];
  }

  #put(key: string, value: unknown): void {
    this.data.set(key, value);
    this.changed.add(key);
    this.deleted.delete(key);
    this.modified = true;
  }

  #addFlashId(key: string, ids: string[], value: unknown): void {
    const id = newFlashId();
    ids.push(id);
    this.flashIds.set(key, ids);
    this.#flashChange(key).added.push([id, value]);
  }

  /** Marks every stored flash of `key` taken; flashes added since the last save are just dropped. */
  #takeFlashIds(key: string): void {
    const change = this.#flashChange(key);
    const unsaved = new Set(change.added.map(([id]) => id));
    for (const id of this.flashIds.get(key) ?? []) if (!unsaved.has(id)) change.taken.push(id);
    change.added = [];
    this.flashIds.delete(key);
  }

  #flashChange(key: string): FlashChange {
    let change = this.flashes.get(key);
    if (!change) this.flashes.set(key, (change = { taken: [], added: [] }));
    return change;
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
    // New collections rather than clear(): measured faster (0.05-0.1 µs a save), and a store may still hold the old ones.
    this.changed = new Set<string>();
    this.deleted = new Set<string>();
    this.flashes = new Map<string, FlashChange>();
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
    return key === PLACEMENT_KEY ? undefined : (this.#state.data.get(key) as Data[K] | undefined);
  }

  /** Stores a JSON value under `key`. Setting `undefined` deletes the key. */
  set<K extends keyof Data & string>(key: K, value: Data[K]): void {
    this.#state.set(reserved(key), value);
  }

  /** Removes `key`. */
  delete(key: keyof Data & string): void {
    this.#state.delete(reserved(key));
  }

  /** Removes every key. */
  clear(): void {
    this.#state.clear();
  }

  /** Adds a flash message: a value that `flashes()` returns once. */
  addFlash(value: unknown, key: string = FLASH_KEY): void {
    this.#state.addFlash(reserved(key), value);
  }

  /** Returns the flash messages under `key` and removes them (save the session to make that stick). */
  flashes<T = unknown>(key: string = FLASH_KEY): T[] {
    return this.#state.takeFlashes(reserved(key)) as T[];
  }

  /**
   * Overrides cookie options for this session. `maxAge <= 0` deletes the session at `save()`.
   * Throws `ERR_SESSION_CONFIG` for an option no browser would accept.
   */
  options(options: CookieOptions): void {
    const { maxAge, ...rest } = options;
    assertConfig(maxAge === undefined || Number.isFinite(maxAge), `session.options: maxAge must be a number of seconds`);
    checkCookieOptions(rest, "session.options");
    this.#state.setOptions(options);
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
