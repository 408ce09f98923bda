/**
 * The one engine under every server store: it verifies signed ids, translates saves into plans,
 * keeps the owner option, and leaves each backend a small driver of primitives.
 *
 * @module
 */

import { SessionError, assertConfig } from "../errors.ts";
import { checkCookieOptions } from "../options.ts";
import type { CookieOptions } from "../options.ts";
import { TOUCH_INTERVAL } from "../store.ts";
import type { DestroyAllOptions, ServerSessionStore, SessionInfo, SessionWrite, StoredSession } from "../store.ts";
import { SignedIds } from "./signed-ids.ts";
import { planWrite } from "./write-plan.ts";
import type { WritePlan } from "./write-plan.ts";

/** A value now (an in-memory backend) or later (a database). */
type Answer<T> = T | Promise<T>;

/**
 * What a backend does, each step atomic on its own (one Lua script, one synchronous block). The
 * owner index changes in the same step as the entry it indexes.
 */
export interface SessionDriver {
  /** The entry under `id`, or undefined; `expiresAt` is the cookie's, for backends that keep none. */
  read(id: string, expiresAt: number): Answer<StoredSession | undefined>;
  /** Applies a plan; false, having written nothing, when it `mustExist` and the entry is gone, or the `previousId` entry is. */
  write(plan: WritePlan): Answer<boolean>;
  /** Deletes the entry under `id` and its place in the owner index. */
  remove(id: string): Answer<void>;
  /**
   * Sets the last-seen time of the entry under `id` to `at`, only if it is still there and live
   * and its stored time is not after `staleBefore` (or it has none): never creates an entry, never
   * changes its data or expiry, and of requests racing to touch it, one writes.
   */
  touch(id: string, at: number, staleBefore: number): Answer<void>;
  /**
   * The live sessions of `owner`, dropping expired ones from the index as it reads them, each with
   * the values of the `listed` keys it holds (see {@link sessionInfo}) when `listed` is given.
   */
  list(owner: string, now: number, listed: readonly string[] | undefined): Answer<SessionInfo[]>;
  /** Deletes every session of `owner` but `except`; how many existed. */
  removeAll(owner: string, except: string | undefined): Answer<number>;
}

/** Options every server store takes. */
export interface ServerStoreOptions {
  /** One secret, or several newest first, that sign the session id. Each at least 32 characters. */
  secrets: string | readonly string[];
  /**
   * The data key whose value names the session's owner (e.g. `"userId"`): with it the store keeps
   * an index owner → sessions for `list()` and `destroyAll()`. A string or number value names an
   * owner; no value (or another type) names none.
   */
  owner?: string;
  /**
   * Data keys whose values `list()` returns with each session (`SessionInfo.data`), e.g.
   * `["device", "ip"]` for a "where you are signed in" page.
   */
  listed?: string[];
  /** Cookie options for sessions in this store. */
  cookie?: CookieOptions;
}

/** A server store over a driver: the meaning of load, save, destroy, list and destroyAll. */
export abstract class ServerStore implements ServerSessionStore {
  readonly cookie: CookieOptions | undefined;
  readonly #ids: SignedIds;
  readonly #owner: string | undefined;
  readonly #listed: readonly string[] | undefined;
  readonly #where: string;
  protected abstract readonly driver: SessionDriver;

  constructor({ secrets, owner, listed, cookie }: ServerStoreOptions, where: string) {
    this.#ids = new SignedIds(secrets, where);
    assertConfig(owner === undefined || (typeof owner === "string" && owner !== ""), `${where}: owner must be a non-empty data key`);
    assertConfig(
      listed === undefined || (Array.isArray(listed) && listed.every((key) => typeof key === "string" && key !== "")),
      `${where}: listed must be an array of non-empty data keys`,
    );
    // list() needs the owner index: listed keys without it would never be returned.
    assertConfig(listed === undefined || owner !== undefined, `${where}: listed needs the owner option (list() lists an owner's sessions)`);
    checkCookieOptions(cookie, where);
    this.#owner = owner;
    // A copy: changing the caller's array later does not change what list() returns.
    this.#listed = listed && [...listed];
    this.#where = where;
    this.cookie = cookie;
  }

  isWellFormed(cookieValue: string): boolean {
    return this.#ids.isWellFormed(cookieValue);
  }

  async load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    // A forged, foreign or expired cookie is turned away here, before any round trip.
    const verified = await this.#ids.verify(name, cookieValue);
    return verified && this.driver.read(verified.id, verified.expiresAt);
  }

  async save(name: string, write: SessionWrite): Promise<string | undefined> {
    const written = await this.driver.write(planWrite(write, this.#owner));
    return written ? this.#ids.sign(name, write.id, write.expiresAt) : undefined;
  }

  async destroy(_name: string, id: string): Promise<void> {
    await this.driver.remove(id);
  }

  async touch(_name: string, id: string, at: number): Promise<void> {
    await this.driver.touch(id, at, at - TOUCH_INTERVAL);
  }

  list(owner: string): Promise<SessionInfo[]> {
    this.#checkOwner("list", owner);
    return Promise.resolve(this.driver.list(owner, Date.now(), this.#listed));
  }

  destroyAll(owner: string, { except }: DestroyAllOptions = {}): Promise<number> {
    this.#checkOwner("destroyAll", owner);
    return Promise.resolve(this.driver.removeAll(owner, except));
  }

  #checkOwner(method: string, owner: string): void {
    if (this.#owner === undefined) {
      throw new SessionError("ERR_SESSION_CONFIG", `${this.#where}: ${method}() needs the owner option (the data key naming a session's owner)`);
    }
    assertConfig(typeof owner === "string" && owner !== "", `${this.#where}: ${method}() needs an owner name`);
  }
}

/** When a listed session was created, expires, and was last seen (undefined: written before stores kept it). */
export interface ListedTimes {
  id: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number | undefined;
}

/**
 * One session as `list()` reports it: `lastSeenAt` falls back to `createdAt`, and `data` holds the
 * `listed` keys the session has (`value` answers undefined for a key it does not), only when the
 * store was built with `listed`. `Object.fromEntries` makes a key like `__proto__` a key like any other.
 */
export function sessionInfo({ id, createdAt, expiresAt, lastSeenAt }: ListedTimes, listed: readonly string[] | undefined, value: (key: string) => unknown): SessionInfo {
  const info: SessionInfo = { id, createdAt, expiresAt, lastSeenAt: lastSeenAt ?? createdAt };
  if (!listed) return info;
  const entries: Array<[string, unknown]> = [];
  for (const key of listed) {
    const found = value(key);
    if (found !== undefined) entries.push([key, found]);
  }
  info.data = Object.fromEntries(entries);
  return info;
}
