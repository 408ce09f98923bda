/**
 * Hono middleware: `sessions` (the seed's `New`), `manySessions` (`Many`) and `getSession`
 * (`Default` and `DefaultMany`). It only moves headers between Hono's context and the core.
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { SessionsOptions } from "../src/jar.ts";
import type { Session } from "../src/session.ts";
import type { SessionData, Store } from "../src/store.ts";
import { addJar, pickJar } from "../src/with-sessions.ts";
import type { Jars } from "../src/with-sessions.ts";

/**
 * The context variables the middleware sets: `c.var.session` is the first (or only) session
 * (with `lazy: true`, once `loadSession(c)` has loaded it).
 */
export interface SessionVariables<Data extends object = SessionData> {
  session: Session<Data>;
}

/** The Hono `Env` the middleware provides, for typed `c.var.session`. */
export interface SessionEnv<Data extends object = SessionData> {
  Variables: SessionVariables<Data>;
}

// Context key of the request's jars (see Jars); several middlewares add up.
const SESSIONS = "webSessions";

function middleware<Data extends object>(
  names: string[],
  store: Store,
  options: SessionsOptions | undefined,
  where: string,
): MiddlewareHandler<SessionEnv<Data>> {
  const settings = resolveSettings({ ...options, names, store }, where);
  return async function sessionsMiddleware(c, next) {
    // Awaited only when the load had something to await: each await is a microtask (see SessionJar.open).
    const opening = SessionJar.open(settings, c.req.raw.headers.get("Cookie"));
    const jar = opening instanceof SessionJar ? opening : await opening;
    c.set(SESSIONS as never, addJar(c.get(SESSIONS as never) as Jars | undefined, jar) as never);
    if (!settings.lazy) c.set("session", jar.session(names[0]!) as Session<Data>);
    await next();
    // After an error, half-done changes are not auto-saved; sessions saved before it keep their cookies.
    const committing = jar.commit({ failed: !!c.error });
    const cookies = Array.isArray(committing) ? committing : await committing;
    if (cookies.length === 0) return;
    try {
      for (const cookie of cookies) c.res.headers.append("Set-Cookie", cookie);
    } catch {
      // Immutable headers (a fetch() response): c.header copies the response first.
      for (const cookie of cookies) c.header("Set-Cookie", cookie, { append: true });
    }
  };
}

/**
 * One session under the cookie `name` (the seed's `sessions.New`).
 * Throws `SessionError` `ERR_SESSION_CONFIG` here, not per request, if the configuration is wrong.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { CookieStore } from "web-sessions";
 * import { sessions, getSession } from "web-sessions/hono";
 *
 * const app = new Hono();
 * app.use(sessions("mysession", new CookieStore({ secrets: process.env.SESSION_SECRET! })));
 * app.get("/hello", (c) => c.json({ hello: getSession(c).get("hello") }));
 * ```
 */
export function sessions<Data extends object = SessionData>(
  name: string,
  store: Store,
  options?: SessionsOptions,
): MiddlewareHandler<SessionEnv<Data>> {
  return middleware<Data>([name], store, options, "sessions");
}

/**
 * Several sessions, one cookie each (the seed's `sessions.Many`); pick one with `getSession(c, name)`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { CookieStore } from "web-sessions";
 * import { manySessions, getSession } from "web-sessions/hono";
 *
 * const app = new Hono();
 * app.use(manySessions(["a", "b"], new CookieStore({ secrets: process.env.SESSION_SECRET! })));
 * app.get("/", (c) => c.json({ a: getSession(c, "a").get("hello") }));
 * ```
 */
export function manySessions<Data extends object = SessionData>(
  names: string[],
  store: Store,
  options?: SessionsOptions,
): MiddlewareHandler<SessionEnv<Data>> {
  return middleware<Data>(names, store, options, "manySessions");
}

/**
 * The session of this request (the seed's `Default`), or the one named `name` (`DefaultMany`).
 * Throws `SessionError` `ERR_SESSION_MISSING` when no middleware ran, the name is unknown, or
 * several sessions are configured and no name is given.
 *
 * @example
 * ```ts
 * import { getSession } from "web-sessions/hono";
 *
 * app.get("/incr", async (c) => {
 *   const session = getSession<{ count: number }>(c);
 *   session.set("count", (session.get("count") ?? -1) + 1);
 *   await session.save();
 *   return c.json({ count: session.get("count") });
 * });
 * ```
 */
export function getSession<Data extends object = SessionData>(c: Context, name?: string): Session<Data> {
  const [jar, picked] = pickJar(c.get(SESSIONS as never), name);
  return jar.session(picked) as unknown as Session<Data>;
}

/**
 * Loads (once) and returns the session of this request: the way to reach a session configured
 * with `lazy: true`, so routes that never call it cost no store round trip. Harmless without `lazy`.
 *
 * @example
 * ```ts
 * import { UpstashRedisStore } from "web-sessions/upstash";
 * import { loadSession, sessions } from "web-sessions/hono";
 *
 * app.use(sessions("session", store, { lazy: true }));
 * app.get("/health", (c) => c.text("ok")); // no Redis request
 * app.get("/me", async (c) => c.json({ user: (await loadSession(c)).get("user") ?? null }));
 * ```
 */
export async function loadSession<Data extends object = SessionData>(c: Context, name?: string): Promise<Session<Data>> {
  const [jar, picked] = pickJar(c.get(SESSIONS as never), name);
  const session = await jar.load(picked);
  if (picked === jar.names[0] && c.get("session" as never) === undefined) c.set("session" as never, session as never);
  return session as unknown as Session<Data>;
}
