/**
 * `withSessions` and `getSession` for any `(request, ...rest) => Response` handler: the generic
 * wrapper that the Workers, Deno and Bun adapters build on.
 *
 * @module
 */

import { SessionError } from "./errors.ts";
import { SessionJar, resolveSettings } from "./jar.ts";
import type { SessionsConfig } from "./jar.ts";
import type { Session } from "./session.ts";
import type { SessionData } from "./store.ts";

/** A fetch-style handler: a `Request` first, then whatever the runtime passes. */
export type FetchHandler<Args extends unknown[]> = (request: Request, ...args: Args) => Response | Promise<Response>;

/** The sessions attached to each request being handled. */
const attached = new WeakMap<Request, Map<string, Session>>();

/** Records a request's sessions where `getSession` finds them (nested middlewares add up). */
export function attachSessions(request: Request, jar: SessionJar): void {
  const sessions = attached.get(request) ?? new Map<string, Session>();
  for (const [name, session] of jar.sessions) sessions.set(name, session);
  attached.set(request, sessions);
}

/** Picks a session by name from those attached, or the only one; throws `ERR_SESSION_MISSING` otherwise. */
export function pickSession<Data extends object>(
  sessions: Map<string, Session> | undefined,
  name: string | undefined,
): Session<Data> {
  if (!sessions) {
    throw new SessionError("ERR_SESSION_MISSING", "no session middleware ran for this request");
  }
  if (name === undefined) {
    if (sessions.size !== 1) {
      throw new SessionError("ERR_SESSION_MISSING", `several sessions are configured (${[...sessions.keys()].join(", ")}): name one`);
    }
    return sessions.values().next().value as unknown as Session<Data>;
  }
  const session = sessions.get(name);
  if (!session) throw new SessionError("ERR_SESSION_MISSING", `no session named "${name}" is configured`);
  return session as unknown as Session<Data>;
}

/**
 * Returns the session of a request handled inside `withSessions`. `name` may be left out when
 * one session is configured. Throws `SessionError` `ERR_SESSION_MISSING` otherwise.
 *
 * @example
 * ```ts
 * import { getSession } from "web-sessions";
 *
 * const session = getSession<{ count: number }>(request);
 * ```
 */
export function getSession<Data extends object = SessionData>(request: Request, name?: string): Session<Data> {
  return pickSession<Data>(attached.get(request), name);
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
 * The configuration is checked here, once (`ERR_SESSION_CONFIG`).
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
  return async function sessionsHandler(request: Request, ...args: Args): Promise<Response> {
    const jar = await SessionJar.open(settings, request.headers.get("Cookie"));
    attachSessions(request, jar);
    const response = await handler(request, ...args);
    return appendSetCookies(response, await jar.commit());
  };
}
