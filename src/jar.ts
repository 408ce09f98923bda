/**
 * The per-request set of named sessions: parse the `Cookie` header once, load each session,
 * record a `Set-Cookie` per save, and at the end of the request auto-save and refresh.
 *
 * @module
 */

import { DEFAULT_MAX_HEADER_BYTES, chunkName, chunkNames, cookieHeaderBytes, joinChunks, splitChunks } from "./chunks.ts";
import { parseCookies, serializeCookie } from "./cookie.ts";
import { SessionError, assertConfig } from "./errors.ts";
import { checkCookieName, checkCookieOptions, resolveCookieOptions } from "./options.ts";
import type { CookieOptions, ResolvedCookieOptions } from "./options.ts";
import { Session, SessionState } from "./session.ts";
import type { SessionOwner } from "./session.ts";
import { TOUCH_INTERVAL } from "./store.ts";
import type { SessionWrite, Store, StoredSession } from "./store.ts";

/** Options of a session middleware (`withSessions`, Hono's `sessions`, the runtime adapters). */
export interface SessionsOptions {
  /** Cookie options over the store's. */
  cookie?: CookieOptions;
  /** Save every modified session when the handler returns. @default false */
  autoSave?: boolean;
  /**
   * Push the expiry out on requests that only read the session, so it ends after `maxAge` of
   * inactivity. Throttled: a session is refreshed once a tenth of `maxAge` has passed since it was
   * last written, so most requests write nothing. @default false
   */
  rolling?: boolean;
  /** Hard cap on a session's life in seconds since it was created, rolling or not. @default undefined */
  absoluteMaxAge?: number;
  /** Called when a request carried a session cookie that could not be used (forged, expired, unknown). */
  onInvalidCookie?: (name: string) => void;
  /**
   * Load a session only when the handler asks with `await loadSession()`, so a request that never
   * does costs no store round trip. `getSession()` then works once `loadSession()` has been awaited.
   * @default false
   */
  lazy?: boolean;
}

/** Configuration of `withSessions`: the options plus the store and the session name(s). */
export interface SessionsConfig extends SessionsOptions {
  /** The cookie name of a single session. @default "session" */
  name?: string;
  /** Several sessions, one cookie each (like the seed's `Many`). */
  names?: string[];
  store: Store;
  /**
   * Builds the response when the handler (or loading, or saving) throws. It gets the `Set-Cookie`
   * of the saves and destroys that already happened, so a logout before the error still reaches
   * the browser. Without it the wrapper rethrows, for the runtime's own error handling (Workers'
   * `passThroughOnException`, `Deno.serve`'s `onError`, `Bun.serve`'s `error`), and those cookies are lost.
   * @default undefined
   */
  onError?: (error: unknown, request: Request) => Response | Promise<Response>;
}

/**
 * A cookie a save or destroy has decided on, before it becomes a `Set-Cookie` line. A deletion
 * has the value `""` and `maxAge` 0.
 */
export interface OutgoingCookie {
  name: string;
  value: string;
  options: ResolvedCookieOptions;
}

/**
 * Where cookies go as soon as a save or destroy decides them, for frameworks that set cookies
 * through an API of their own instead of response headers (Next.js's `cookies()`).
 */
export interface CookieSink {
  /**
   * Takes one cookie. When it throws (the framework lets no cookie be set here), the `save()` or
   * `destroy()` rejects with that error.
   */
  set(cookie: OutgoingCookie): void;
  /**
   * Bytes the framework adds to each `Set-Cookie` line beyond the core's own attributes (Next.js
   * adds `Expires`), kept free when a value is split into chunks. @default 0
   */
  extraLineBytes?: number;
}

/** A validated configuration, built once per middleware. */
export interface JarSettings extends SessionsOptions {
  names: string[];
  /** The cookie names to read: the session names and, with chunks, their chunks' names. */
  nameSet: ReadonlySet<string>;
  /** How many cookies one session may take (the store's `chunks`). */
  chunks: number;
  store: Store;
  cookie: ResolvedCookieOptions;
}

// Read-only requests refresh a rolling session only after this fraction of maxAge has passed.
const ROLLING_THRESHOLD = 0.1;
// The most well-formed values of one duplicated cookie name tried first (each may cost a MAC
// check), so junk cannot cost much work; past them only the last one is. Values of the wrong shape,
// or naming no key of the store, are skipped and do not count.
const MAX_CANDIDATES = 4;
// RFC 6265 §6.1: browsers keep at least 4096 bytes of name=value per cookie; more may be dropped.
const MAX_COOKIE_BYTES = 4096;

/** Checks a middleware's configuration and fills in defaults: every mistake throws here, not per request. */
export function resolveSettings(config: SessionsConfig, where: string): JarSettings {
  const { name, names, store, cookie, absoluteMaxAge } = config;
  assertConfig(store && typeof store.load === "function", `${where}: a store is required`);
  const list = names ?? [name ?? "session"];
  assertConfig(list.length > 0, `${where}: names must not be empty`);
  assertConfig(new Set(list).size === list.length, `${where}: names must be distinct`);
  checkCookieOptions(cookie, where);
  assertConfig(
    absoluteMaxAge === undefined || (Number.isFinite(absoluteMaxAge) && absoluteMaxAge > 0),
    `${where}: absoluteMaxAge must be a positive number of seconds`,
  );
  const resolved = resolveCookieOptions(store.cookie, cookie);
  for (const each of list) checkCookieName(each, resolved);
  const chunks = store.chunks ?? 1;
  const cookieNames = list.flatMap((each) => chunkNames(each, chunks));
  assertConfig(new Set(cookieNames).size === cookieNames.length, `${where}: a session name is also another session's chunk name (name.1, name.2, ...)`);
  return { ...config, names: list, nameSet: new Set(cookieNames), chunks, store, cookie: resolved };
}

// What save() returns when there is nothing to write: an already settled promise, made once.
const SAVED: Promise<void> = Promise.resolve();
// What commit() returns when no cookie is to be sent; frozen, so no caller can add to it.
const NO_COOKIES: string[] = Object.freeze([]) as unknown as string[];

function storeError(action: string, cause: unknown): SessionError {
  if (cause instanceof SessionError) return cause;
  return new SessionError("ERR_SESSION_STORE", `could not ${action} the session`, { cause });
}

/** The sessions of one request. */
export class SessionJar implements SessionOwner {
  readonly #states: SessionState[] = [];
  readonly #settings: JarSettings;
  readonly #cookies: Map<string, string[]>;
  // Loads still running (`lazy`, or several names); made on the first one.
  #loading: Map<string, Promise<Session>> | undefined;
  readonly #loaded = new Map<string, Session>();
  // Set-Cookie lines by cookie name (a chunked session has one per chunk).
  readonly #setCookies = new Map<string, string>();
  readonly #sink: CookieSink | undefined;
  // Sessions loaded with a last-seen time TOUCH_INTERVAL old or more.
  #stale: SessionState[] | undefined;

  private constructor(settings: JarSettings, cookieHeader: string | null, sink: CookieSink | undefined) {
    this.#settings = settings;
    this.#cookies = parseCookies(cookieHeader, settings.nameSet);
    this.#sink = sink;
  }

  /**
   * Reads a `Cookie` header and loads every configured session in parallel, unless `lazy`.
   * With a `sink`, each cookie also goes to it as soon as it is decided.
   */
  static open(settings: JarSettings, cookieHeader: string | null, sink?: CookieSink): SessionJar | Promise<SessionJar> {
    const jar = new SessionJar(settings, cookieHeader, sink);
    if (settings.lazy) return jar;
    const { names } = settings;
    if (names.length > 1) return Promise.all(names.map((name) => jar.load(name))).then(() => jar);
    // One name, the usual case: no promise at all when nothing is to be awaited (no cookie), else
    // one. Four nested async steps did this before; with the other promise-free paths, the null
    // store's request went from 5.2 to 3.8 µs over bare Hono (Node 20, bench/machinery.ts).
    const opening = jar.#open(names[0]!);
    return opening instanceof Session ? jar : opening.then(() => jar);
  }

  /** The configured session names. */
  get names(): readonly string[] {
    return this.#settings.names;
  }

  /** Loads the session `name` once; later calls share the first load. */
  load(name: string): Promise<Session> {
    const loaded = this.#loaded.get(name);
    if (loaded) return Promise.resolve(loaded);
    this.#loading ??= new Map();
    let loading = this.#loading.get(name);
    if (!loading) {
      // Promise.resolve: a session opened without awaiting anything is handed out the same way.
      loading = Promise.resolve(this.#open(name));
      this.#loading.set(name, loading);
    }
    return loading;
  }

  /** Whether the session `name` is loaded (always, unless `lazy`). */
  loaded(name: string): boolean {
    return this.#loaded.has(name);
  }

  /** The session `name` if it is loaded; with `lazy`, throws `ERR_SESSION_MISSING` until `load()` is done. */
  session(name: string): Session {
    const session = this.#loaded.get(name);
    if (!session) {
      throw new SessionError("ERR_SESSION_MISSING", `the "${name}" session is not loaded yet: with lazy: true, await loadSession() first`);
    }
    return session;
  }

  /**
   * Opens the session `name`: at once when the request carried no cookie for it or the store
   * knows its one value from memory (`loadNow`), else after the store's load.
   */
  #open(name: string): Session | Promise<Session> {
    const { chunks, store } = this.#settings;
    const values = chunks > 1 ? joinChunks(this.#cookies, name, chunks) : this.#cookies.get(name);
    if (!values) return this.#start(name, undefined);
    // Several values of one name take the careful path below; so does a session past absoluteMaxAge.
    // A store without loadNow goes there at once (#load checks the value's shape itself).
    const stored = values.length === 1 && store.loadNow && this.#wellFormed(values[0]!) ? store.loadNow(name, values[0]!) : undefined;
    return stored && this.#withinLifetime(stored) ? this.#start(name, stored) : this.#load(name, values);
  }

  /** Whether a loaded session is still within `absoluteMaxAge` of its creation. */
  #withinLifetime(stored: StoredSession): boolean {
    const { absoluteMaxAge } = this.#settings;
    return !absoluteMaxAge || stored.createdAt + absoluteMaxAge * 1000 > Date.now();
  }

  #start(name: string, stored: StoredSession | undefined): Session {
    const state = new SessionState(name, stored);
    if (stored && this.#settings.store.touch && (stored.lastSeenAt ?? 0) <= Date.now() - TOUCH_INTERVAL) {
      (this.#stale ??= []).push(state);
    }
    const session = new Session(state, this);
    this.#states.push(state);
    this.#loaded.set(name, session);
    return session;
  }

  #wellFormed(value: string): boolean {
    const { store } = this.#settings;
    return !store.isWellFormed || store.isWellFormed(value);
  }

  /** The index of the last well-formed value, or -1. */
  #lastWellFormed(values: readonly string[]): number {
    for (let at = values.length - 1; at >= 0; at--) if (this.#wellFormed(values[at]!)) return at;
    return -1;
  }

  /** Loads the first usable value of `values` and starts the session with it (a new one if none is). */
  async #load(name: string, values: string[]): Promise<Session> {
    const { store, onInvalidCookie } = this.#settings;
    let tried = 0;
    for (let at = 0; at < values.length; at++) {
      // Junk planted ahead of the real cookie (cookie tossing) costs nothing and cannot push it out.
      if (!this.#wellFormed(values[at]!)) continue;
      // Past the first few, only the last: browsers send the cookie with the longest path first,
      // so values planted for longer paths come before the real one (usually at "/"), and at most
      // MAX_CANDIDATES + 1 values cost crypto whatever the header holds.
      if (tried++ === MAX_CANDIDATES) at = this.#lastWellFormed(values);
      let stored: StoredSession | undefined;
      try {
        stored = await store.load(name, values[at]!);
      } catch (error) {
        throw storeError("load", error);
      }
      if (stored && this.#withinLifetime(stored)) return this.#start(name, stored);
    }
    onInvalidCookie?.(name);
    return this.#start(name, undefined);
  }

  #cookieOptions(state: SessionState): ResolvedCookieOptions {
    // Most sessions set no options of their own: then they are the middleware's, resolved once.
    // Resolving them again took 0.7 µs a save (measured, Node 20).
    if (Object.keys(state.options).length === 0) return this.#settings.cookie;
    return resolveCookieOptions(this.#settings.cookie, state.options);
  }

  /** Not async: a save of an unmodified session costs no promise of its own. */
  save(state: SessionState): Promise<void> {
    if (!state.modified) return SAVED;
    let options: ResolvedCookieOptions;
    try {
      options = this.#cookieOptions(state);
      // session.options() may have broken a prefix rule the middleware's options kept.
      if (options !== this.#settings.cookie) checkCookieName(state.name, options);
    } catch (error) {
      return Promise.reject(error);
    }
    if (options.maxAge <= 0) return this.destroy(state);
    return this.#write(state, options);
  }

  /** When a session written now would expire: after maxAge, but never past the absolute cap. */
  #expiry(state: SessionState, options: ResolvedCookieOptions, now: number): number {
    const { absoluteMaxAge } = this.#settings;
    const expiresAt = now + options.maxAge * 1000;
    return absoluteMaxAge ? Math.min(expiresAt, state.createdAt + absoluteMaxAge * 1000) : expiresAt;
  }

  async #write(state: SessionState, options: ResolvedCookieOptions): Promise<void> {
    const now = Date.now();
    const { store } = this.#settings;
    const expiresAt = this.#expiry(state, options, now);
    if (expiresAt <= now) return this.destroy(state);

    const write: SessionWrite = {
      id: state.id,
      previousId: state.previousId,
      data: state.data,
      changed: state.changed,
      deleted: state.deleted,
      cleared: state.cleared,
      createdAt: state.createdAt,
      expiresAt,
      flashes: state.flashes,
      flashIds: state.flashIds,
      // A session the store held may be updated, never created again: destroy() stays final.
      mustExist: state.stored,
    };
    let value: string | undefined;
    try {
      value = await store.save(state.name, write);
    } catch (error) {
      throw storeError("save", error);
    }
    if (value === undefined) return this.#gone(state);
    const maxAge = (expiresAt - now) / 1000;
    if (this.#settings.chunks > 1) {
      this.#setChunks(state, value, { ...options, maxAge });
    } else {
      const size = state.name.length + 1 + value.length;
      if (size > MAX_COOKIE_BYTES) {
        throw new SessionError(
          "ERR_SESSION_COOKIE_TOO_LARGE",
          `the "${state.name}" cookie would be ${size} bytes, over the ${MAX_COOKIE_BYTES} browsers keep; store less in it or use a server-side store`,
        );
      }
      this.#setCookie(state.name, value, options, maxAge);
    }
    state.markSaved(expiresAt);
  }

  /** Records a chunked session's lines, then deletes the chunks it no longer needs. */
  #setChunks(state: SessionState, value: string, options: ResolvedCookieOptions): void {
    const { chunks } = this.#settings;
    const parts = splitChunks(state.name, value, options, chunks, this.#sink?.extraLineBytes);
    if (!parts) {
      throw new SessionError(
        "ERR_SESSION_COOKIE_TOO_LARGE",
        `the "${state.name}" session is ${value.length} bytes sealed, more than ${chunks} cookies of 4096 bytes hold; store less in it or use a server-side store`,
      );
    }
    const budget = this.#settings.store.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    const total = cookieHeaderBytes(parts);
    if (total > budget) {
      throw new SessionError(
        "ERR_SESSION_COOKIE_TOO_LARGE",
        `the "${state.name}" session would add ${total} bytes to the Cookie header, over its maxHeaderBytes of ${budget} (servers answer 431 past about 8 KB); store less in it or use a server-side store`,
      );
    }
    for (const [name, part] of parts) this.#setCookie(name, part, options);
    this.#deleteChunks(state, parts.length, options);
  }

  /**
   * Records one `Set-Cookie` line, after the sink (if any) has taken the cookie. `maxAge`, when
   * given, replaces the options' own (a save's lifetime left), without copying the options.
   */
  #setCookie(name: string, value: string, options: ResolvedCookieOptions, maxAge = options.maxAge): void {
    this.#sink?.set({ name, value, options: { ...options, maxAge } });
    this.#setCookies.set(name, serializeCookie(name, value, options, maxAge));
  }

  /** Deletes the chunks from `from` on that the browser sent or this response set. */
  #deleteChunks(state: SessionState, from: number, options: ResolvedCookieOptions): void {
    for (let index = Math.max(from, 1); index < this.#settings.chunks; index++) {
      const name = chunkName(state.name, index);
      if (this.#cookies.has(name) || this.#setCookies.has(name)) this.#setCookie(name, "", options, 0);
    }
  }

  /**
   * The store no longer holds a session this request loaded (another request destroyed or
   * regenerated it meanwhile): nothing was written, no cookie goes out that would bring it back,
   * and what the request holds now is a new, empty session.
   */
  #gone(state: SessionState): void {
    this.#setCookies.delete(state.name);
    state.reset();
  }

  async destroy(state: SessionState): Promise<void> {
    const ids = [state.stored ? state.id : undefined, state.previousId].filter((id) => id !== undefined);
    try {
      await Promise.all(ids.map((id) => this.#settings.store.destroy(state.name, id)));
    } catch (error) {
      throw storeError("destroy", error);
    }
    const options = this.#cookieOptions(state);
    this.#setCookie(state.name, "", options, 0);
    this.#deleteChunks(state, 1, options);
    state.reset();
  }

  /**
   * Runs `autoSave` and rolling refreshes, then returns the `Set-Cookie` values to send. After a
   * failed handler only the explicit saves are sent: their store writes already happened.
   */
  commit({ failed = false } = {}): string[] | Promise<string[]> {
    const { autoSave, rolling } = this.#settings;
    // Without autoSave, rolling or a stale session to touch there is nothing left to do: the
    // lines, without a promise.
    if (failed || !(autoSave || rolling || this.#stale)) return this.#lines();
    return this.#settle().then(() => this.#lines());
  }

  /** The autoSave, rolling refreshes and touches left at the end of a request that did not fail. */
  async #settle(): Promise<void> {
    const { autoSave, rolling } = this.#settings;
    if (autoSave || rolling) {
      await Promise.all(
        this.#states.map((state) => {
          if (state.modified) return autoSave ? this.save(state) : undefined;
          if (rolling && state.stored && !this.#setCookies.has(state.name)) return this.#refresh(state);
          return undefined;
        }),
      );
    }
    if (this.#stale) await this.#touchStale(this.#stale);
  }

  #lines(): string[] {
    return this.#setCookies.size === 0 ? NO_COOKIES : [...this.#setCookies.values()];
  }

  /**
   * Records the last use of each stale session that this request neither saved, destroyed nor
   * regenerated (a save records it already; a regenerated session is no longer `stored` until
   * saved). A failed touch fails nothing: it is only a timestamp.
   */
  async #touchStale(stale: SessionState[]): Promise<void> {
    const { store } = this.#settings;
    const now = Date.now();
    await Promise.all(
      stale.map(async (state) => {
        if (!state.stored || this.#setCookies.has(state.name)) return;
        try {
          await store.touch!(state.name, state.id, now);
        } catch {
          // Ignored on purpose: the request succeeded, and the next one tries again.
        }
      }),
    );
  }

  /** Rewrites an unmodified session when that pushes its expiry out by a tenth of maxAge or more. */
  #refresh(state: SessionState): Promise<void> | undefined {
    const options = this.#cookieOptions(state);
    const gain = this.#expiry(state, options, Date.now()) - state.expiresAt;
    return gain >= options.maxAge * 1000 * ROLLING_THRESHOLD ? this.#write(state, options) : undefined;
  }
}
