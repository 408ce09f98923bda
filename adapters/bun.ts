/**
 * Bun: `withSessions` wraps the `fetch(request, server)` handler of `Bun.serve`. It only moves
 * headers, through the core's `withSessions`.
 *
 * @example
 * ```ts
 * import { CookieStore } from "web-sessions";
 * import { getSession, withSessions } from "web-sessions/bun";
 *
 * const store = new CookieStore({ secrets: Bun.env.SESSION_SECRET! });
 *
 * Bun.serve({
 *   fetch: withSessions({ store }, async (request, server) => {
 *     const session = getSession<{ count: number }>(request);
 *     session.set("count", (session.get("count") ?? 0) + 1);
 *     await session.save();
 *     return Response.json({ count: session.get("count"), ip: server.requestIP(request)?.address });
 *   }),
 * });
 * ```
 *
 * @module
 */

import type { SessionsConfig } from "../src/jar.ts";
import type { Session } from "../src/session.ts";
import type { SessionData } from "../src/store.ts";
import {
  getSession as coreGetSession,
  loadSession as coreLoadSession,
  withSessions as coreWithSessions,
} from "../src/with-sessions.ts";

/**
 * The part of Bun's `Server` a handler commonly uses, declared here so the library type-checks
 * without Bun's types; Bun's own `Server` fits it. Name Bun's type as `withSessions<Server>` to
 * use the rest of it.
 */
export interface BunServer {
  /** The client's address, or `null` for a request that did not come over a socket. */
  requestIP(request: Request): { address: string; family: string; port: number } | null;
  readonly port?: number;
  readonly hostname?: string;
}

/**
 * A `Bun.serve` `fetch` handler. It must return a `Response`: route WebSocket upgrades
 * (`server.upgrade`, which returns nothing) before the wrapped handler, as their response carries
 * no cookies.
 */
export type BunHandler<Server> = (request: Request, server: Server) => Response | Promise<Response>;

/**
 * Wraps a `Bun.serve` `fetch` handler so each request gets its sessions: loaded from the `Cookie`
 * header before it runs, their `Set-Cookie` headers added to its response. The configuration is
 * checked here, once (`ERR_SESSION_CONFIG`).
 *
 * @example
 * ```ts
 * import { MemoryStore } from "web-sessions";
 * import { getSession, withSessions } from "web-sessions/bun";
 *
 * const store = new MemoryStore({ secrets: Bun.env.SESSION_SECRET! });
 * Bun.serve({ fetch: withSessions({ store }, (request) => new Response(getSession(request).id)) });
 * ```
 */
export function withSessions<Server = BunServer>(
  config: SessionsConfig,
  handler: BunHandler<Server>,
): (request: Request, server: Server) => Promise<Response> {
  return coreWithSessions<[Server]>(config, handler);
}

/**
 * The session of a request handled inside `withSessions`; `name` may be left out when one session
 * is configured. Throws `SessionError` `ERR_SESSION_MISSING` otherwise, or when the session is
 * `lazy` and `loadSession` has not loaded it yet.
 *
 * @example
 * ```ts
 * import { getSession } from "web-sessions/bun";
 *
 * const session = getSession<{ count: number }>(request);
 * ```
 */
export function getSession<Data extends object = SessionData>(request: Request, name?: string): Session<Data> {
  return coreGetSession<Data>(request, name);
}

/**
 * Loads (once) and returns the session of a request handled inside `withSessions`: the way to
 * reach a session configured with `lazy: true` (no store round trip for requests that never ask),
 * and harmless without it.
 *
 * @example
 * ```ts
 * import { loadSession } from "web-sessions/bun";
 *
 * const session = await loadSession<{ userId: string }>(request);
 * ```
 */
export function loadSession<Data extends object = SessionData>(request: Request, name?: string): Promise<Session<Data>> {
  return coreLoadSession<Data>(request, name);
}
