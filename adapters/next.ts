/**
 * Next.js (App Router): `withSessions` wraps a Route Handler or the Middleware (`proxy.ts`, or
 * `middleware.ts`) function, `getSession`/`loadSession` reach its sessions, and
 * `sessionFromCookies` serves Server Actions and Server Components through `cookies()`. It only
 * moves headers and cookies, through the core.
 *
 * @example
 * ```ts
 * // app/api/count/route.ts
 * import { CookieStore } from "web-sessions";
 * import { getSession, withSessions } from "web-sessions/next";
 *
 * const store = new CookieStore({ secrets: process.env.SESSION_SECRET! });
 *
 * export const POST = withSessions({ store }, async (request) => {
 *   const session = getSession<{ count: number }>(request);
 *   session.set("count", (session.get("count") ?? 0) + 1);
 *   await session.save();
 *   return Response.json({ count: session.get("count") });
 * });
 * ```
 *
 * @module
 */

import { NextResponse } from "next/server.js";
import type { NextRequest } from "next/server.js";
import type { SessionsConfig } from "../src/jar.ts";
import type { Session } from "../src/session.ts";
import type { SessionData } from "../src/store.ts";
import {
  getSession as coreGetSession,
  loadSession as coreLoadSession,
  withSessions as coreWithSessions,
} from "../src/with-sessions.ts";

export { sessionFromCookies } from "./next-cookies.ts";

/**
 * A Route Handler (`(request, { params })`) or a Middleware function (`(request, event)`). A
 * Middleware function may return nothing, meaning "go on to the route".
 */
export type NextHandler<Req extends Request, Args extends unknown[]> = (
  request: Req,
  ...args: Args
) => Response | undefined | void | Promise<Response | undefined | void>;

/**
 * Wraps a Route Handler or the Middleware function so each request gets its sessions: loaded from
 * the `Cookie` header before it runs, their `Set-Cookie` headers added to its response. Works on
 * the Node.js and the Edge runtime. When Middleware returns nothing, the request goes on to its
 * route (`NextResponse.next()`) with the cookies on the response. The configuration is checked
 * here, once (`ERR_SESSION_CONFIG`).
 *
 * @example
 * ```ts
 * // proxy.ts (middleware.ts before Next.js 16)
 * import { NextResponse } from "next/server";
 * import { getSession, withSessions } from "web-sessions/next";
 * import { sessionConfig } from "./session-config";
 *
 * export const proxy = withSessions(sessionConfig, (request) => {
 *   if (!getSession(request).get("user")) return NextResponse.redirect(new URL("/sign-in", request.url));
 * });
 * export const config = { matcher: "/account/:path*" };
 * ```
 */
export function withSessions<Req extends Request = NextRequest, Args extends unknown[] = []>(
  config: SessionsConfig,
  handler: NextHandler<Req, Args>,
): (request: Req, ...args: Args) => Promise<Response> {
  return coreWithSessions<Args>(config, async (request, ...args) => {
    return (await handler(request as Req, ...args)) ?? NextResponse.next();
  }) as (request: Req, ...args: Args) => Promise<Response>;
}

/**
 * The session of a request handled inside `withSessions`; `name` may be left out when one
 * session is configured. Throws `SessionError` `ERR_SESSION_MISSING` otherwise, or when the
 * session is `lazy` and `loadSession` has not loaded it yet.
 *
 * @example
 * ```ts
 * import { getSession } from "web-sessions/next";
 *
 * const session = getSession<{ count: number }>(request);
 * ```
 */
export function getSession<Data extends object = SessionData>(request: Request, name?: string): Session<Data> {
  return coreGetSession<Data>(request, name);
}

/**
 * Loads (once) and returns the session of a request handled inside `withSessions`: the way to
 * reach a session configured with `lazy: true`, and harmless without it.
 *
 * @example
 * ```ts
 * import { loadSession } from "web-sessions/next";
 *
 * const session = await loadSession<{ user: string }>(request);
 * ```
 */
export function loadSession<Data extends object = SessionData>(request: Request, name?: string): Promise<Session<Data>> {
  return coreLoadSession<Data>(request, name);
}
