/**
 * Deno: `withSessions` wraps a `Deno.serve` handler `(request, info)`. It only moves headers,
 * through the core's `withSessions`.
 *
 * @example
 * ```ts
 * import { CookieStore } from "web-sessions";
 * import { getSession, withSessions } from "web-sessions/deno";
 *
 * const store = new CookieStore({ secrets: Deno.env.get("SESSION_SECRET")! });
 *
 * Deno.serve(withSessions({ store }, async (request, info) => {
 *   const session = getSession<{ count: number }>(request);
 *   session.set("count", (session.get("count") ?? 0) + 1);
 *   await session.save();
 *   return Response.json({ count: session.get("count"), from: info.remoteAddr });
 * }));
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
 * What `Deno.serve` passes a handler after the request, declared here so the library type-checks
 * without Deno's types; `Deno.ServeHandlerInfo` fits it.
 */
export interface DenoServeHandlerInfo {
  /** The peer: `{ transport: "tcp", hostname, port }`, or a Unix socket's `{ transport: "unix", path }`. */
  readonly remoteAddr: { readonly transport: string; readonly hostname?: string; readonly port?: number; readonly path?: string };
  /** Settles when the response has been sent (or failed to be). */
  readonly completed?: Promise<void>;
}

/** A `Deno.serve` handler. */
export type DenoHandler<Info> = (request: Request, info: Info) => Response | Promise<Response>;

/**
 * Wraps a `Deno.serve` handler so each request gets its sessions: loaded from the `Cookie` header
 * before it runs, their `Set-Cookie` headers added to its response. The configuration is checked
 * here, once (`ERR_SESSION_CONFIG`).
 *
 * @example
 * ```ts
 * import { MemoryStore } from "web-sessions";
 * import { getSession, withSessions } from "web-sessions/deno";
 *
 * const store = new MemoryStore({ secrets: Deno.env.get("SESSION_SECRET")! });
 * Deno.serve(withSessions({ store }, (request) => new Response(getSession(request).id)));
 * ```
 */
export function withSessions<Info = DenoServeHandlerInfo>(
  config: SessionsConfig,
  handler: DenoHandler<Info>,
): (request: Request, info: Info) => Promise<Response> {
  return coreWithSessions<[Info]>(config, handler);
}

/**
 * The session of a request handled inside `withSessions`; `name` may be left out when one session
 * is configured. Throws `SessionError` `ERR_SESSION_MISSING` otherwise, or when the session is
 * `lazy` and `loadSession` has not loaded it yet.
 *
 * @example
 * ```ts
 * import { getSession } from "web-sessions/deno";
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
 * import { loadSession } from "web-sessions/deno";
 *
 * const session = await loadSession<{ userId: string }>(request);
 * ```
 */
export function loadSession<Data extends object = SessionData>(request: Request, name?: string): Promise<Session<Data>> {
  return coreLoadSession<Data>(request, name);
}
