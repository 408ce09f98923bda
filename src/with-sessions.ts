/**
 * `withSessions` and `getSession` for any `(request, ...rest) => Response` handler: the generic
 * wrapper that the Workers, Deno and Bun adapters build on.
 *
 * @module
 */

import { SessionError, assertConfig } from "./errors.ts";
import { SessionJar, resolveSettings } from "./jar.ts";
import type { SessionsConfig } from "./jar.ts";
import type { Session } from "./session.ts";
import type { SessionData } from "./store.ts";

/** A fetch-style handler: a `Request` first, then whatever the runtime passes. */
export type FetchHandler<Args extends unknown[]> = (request: Request, ...args: Args) => Response | Promise<Response>;

/**
 * A request's jars: the one jar of a single middleware (the usual case, with no map to build), or
 * a map by session name once several middlewares add theirs.
 */
export type Jars = SessionJar | ReadonlyMap<string, SessionJar>;

/** The jars of each request being handled. */
const attached = new WeakMap<Request, Jars>();

/**
 * Records a request's jar where `getSession` finds it (nested middlewares add up), and returns
 * all the request's jars.
 */
export function attachSessions(request: Request, jar: SessionJar): Jars {
  const jars = addJar(attached.get(request), jar);
  attached.set(request, jars);
  return jars;
}

/** The jars by session name. */
export function jarsByName(jars: Jars): ReadonlyMap<string, SessionJar> {
  return jars instanceof SessionJar ? new Map(jars.names.map((name) => [name, jars])) : jars;
}

/** `jars` with `jar` added under each of its names; the first jar is kept as it is. */
export function addJar(jars: Jars | undefined, jar: SessionJar): Jars {
  if (jars === undefined) return jar;
  const map = new Map(jarsByName(jars));
  for (const name of jar.names) map.set(name, jar);
  return map;
}

/** Picks the jar holding the session `name`, or the only session; throws `ERR_SESSION_MISSING` otherwise. */
export function pickJar(jars: Jars | undefined, name: string | undefined): [SessionJar, string] {
  if (!jars) {
    throw new SessionError("ERR_SESSION_MISSING", "no session middleware ran for this request");
  }
  const single = jars instanceof SessionJar;
  const names = single ? jars.names : [...jars.keys()];
  if (name === undefined) {
    if (names.length !== 1) {
      throw new SessionError("ERR_SESSION_MISSING", `several sessions are configured (${names.join(", ")}): name one`);
    }
    name = names[0]!;
  }
  const jar = single ? (names.includes(name) ? jars : undefined) : jars.get(name);
  if (!jar) throw new SessionError("ERR_SESSION_MISSING", `no session named "${name}" is configured`);
  return [jar, name];
}

/**
 * Returns the session of a request handled inside `withSessions`. `name` may be left out when
 * one session is configured. Throws `SessionError` `ERR_SESSION_MISSING` otherwise, or when the
 * session is `lazy` and not loaded yet.
 *
 * @example
 * ```ts
 * import { getSession } from "web-sessions";
 *
 * const session = getSession<{ count: number }>(request);
 * ```
 */
export function getSession<Data extends object = SessionData>(request: Request, name?: string): Session<Data> {
  const [jar, picked] = pickJar(attached.get(request), name);
  return jar.session(picked) as unknown as Session<Data>;
}

/**
 * Loads (once) and returns the session of a request handled inside `withSessions`: the way to
 * reach a session configured with `lazy: true`, and harmless without it.
 *
 * @example
 * ```ts
 * import { loadSession } from "web-sessions";
 *
 * const session = await loadSession<{ userId: string }>(request);
 * ```
 */
export async function loadSession<Data extends object = SessionData>(request: Request, name?: string): Promise<Session<Data>> {
  const [jar, picked] = pickJar(attached.get(request), name);
  return (await jar.load(picked)) as unknown as Session<Data>;
}

/**
 * Adds `Set-Cookie` headers to a response. A `fetch()` or `Response.redirect()` response has
 * immutable headers: then the response is copied first.
 */
export function appendSetCookies(response: Response, cookies: string[]): Response {
  if (cookies.length === 0) return response;
  try {
    for (const cookie of cookies) response.headers.append("Set-Cookie", cookie);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const cookie of cookies) copy.headers.append("Set-Cookie", cookie);
    return copy;
  }
}

/**
 * Wraps a fetch-style handler so each request gets its sessions: loaded from the `Cookie` header
 * before the handler runs, their `Set-Cookie` headers added to its response.
 * The configuration is checked here, once (`ERR_SESSION_CONFIG`). When the handler throws, the
 * error is rethrown, unless `onError` builds the response: then that response carries the
 * `Set-Cookie` of the saves and destroys made before the throw.
 *
 * @example
 * ```ts
 * import { MemoryStore, getSession, withSessions } from "web-sessions";
 *
 * const store = new MemoryStore({ secrets: process.env.SESSION_SECRET! });
 * export const handler = withSessions({ store }, async (request) => {
 *   const session = getSession<{ visits: number }>(request);
 *   session.set("visits", (session.get("visits") ?? 0) + 1);
 *   await session.save();
 *   return new Response(`visit ${session.get("visits")}`);
 * });
 * ```
 */
export function withSessions<Args extends unknown[]>(
  config: SessionsConfig,
  handler: FetchHandler<Args>,
): (request: Request, ...args: Args) => Promise<Response> {
  const settings = resolveSettings(config, "withSessions");
  const { onError } = config;
  assertConfig(onError === undefined || typeof onError === "function", "withSessions: onError must be a function");
  return async function sessionsHandler(request: Request, ...args: Args): Promise<Response> {
    let jar: SessionJar | undefined;
    try {
      // Awaited only when there is something to await: each await costs a microtask (see SessionJar.open).
      const opening = SessionJar.open(settings, request.headers.get("Cookie"));
      jar = opening instanceof SessionJar ? opening : await opening;
      attachSessions(request, jar);
      const response = await handler(request, ...args);
      const committing = jar.commit();
      return appendSetCookies(response, Array.isArray(committing) ? committing : await committing);
    } catch (error) {
      if (!onError) throw error;
      // As with Hono's app.onError: half-done changes are not auto-saved, but the cookies of saves
      // and destroys that already happened go out with the error response.
      const cookies = jar ? await jar.commit({ failed: true }) : [];
      return appendSetCookies(await onError(error, request), cookies);
    }
  };
}
