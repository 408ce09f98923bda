/**
 * Cloudflare Workers (module syntax): `withSessions` wraps a `fetch(request, env, ctx)` handler,
 * and its configuration may be a function of `env`, so secrets and store credentials come from
 * bindings. It only moves headers, through the core's `withSessions`.
 *
 * @example
 * ```ts
 * import { CookieStore } from "web-sessions";
 * import { getSession, withSessions } from "web-sessions/workers";
 *
 * interface Env { SESSION_SECRET: string }
 *
 * export default {
 *   fetch: withSessions(
 *     (env: Env) => ({ store: new CookieStore({ secrets: env.SESSION_SECRET }) }),
 *     async (request, env, ctx) => {
 *       const session = getSession<{ count: number }>(request);
 *       session.set("count", (session.get("count") ?? 0) + 1);
 *       await session.save();
 *       return Response.json({ count: session.get("count") });
 *     },
 *   ),
 * };
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
 * The Workers `ExecutionContext`, declared here so handlers are typed without
 * `@cloudflare/workers-types`; Cloudflare's own `ExecutionContext` fits it.
 */
export interface WorkersExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

/** A module Worker's `fetch` handler. */
export type WorkersHandler<Env, Ctx> = (request: Request, env: Env, ctx: Ctx) => Response | Promise<Response>;

/** The configuration: fixed, or built from the Worker's `env` (its bindings and secrets). */
export type WorkersSessionsConfig<Env> = SessionsConfig | ((env: Env) => SessionsConfig);

// Settings for a non-object env (only seen when a handler is called by hand, e.g. in a test).
const NO_ENV: object = {};

/**
 * Wraps a module Worker's `fetch` handler so each request gets its sessions. With a function
 * `config`, it runs once per distinct `env` object (the runtime hands the same one to every request
 * of an isolate): stores, keys and checks are built once, not per request. A configuration error
 * (`ERR_SESSION_CONFIG`) makes the requests fail until it is fixed.
 *
 * Store writes, rolling refreshes included, finish before the response is returned rather than
 * in `ctx.waitUntil`: the `Set-Cookie` a write produces belongs on that response, and a failed write
 * must fail the request instead of vanishing after it.
 *
 * @example
 * ```ts
 * import { UpstashRedisStore } from "web-sessions/upstash";
 * import { getSession, withSessions } from "web-sessions/workers";
 *
 * interface Env { SESSION_SECRET: string; UPSTASH_REDIS_REST_URL: string; UPSTASH_REDIS_REST_TOKEN: string }
 *
 * export default {
 *   fetch: withSessions(
 *     (env: Env) => ({
 *       store: new UpstashRedisStore({
 *         url: env.UPSTASH_REDIS_REST_URL,
 *         token: env.UPSTASH_REDIS_REST_TOKEN,
 *         secrets: env.SESSION_SECRET,
 *       }),
 *     }),
 *     async (request) => new Response(`hello ${getSession(request).get("user") ?? "stranger"}`),
 *   ),
 * };
 * ```
 */
export function withSessions<Env = unknown, Ctx = WorkersExecutionContext>(
  config: WorkersSessionsConfig<Env>,
  handler: WorkersHandler<Env, Ctx>,
): (request: Request, env: Env, ctx: Ctx) => Promise<Response> {
  if (typeof config !== "function") return coreWithSessions<[Env, Ctx]>(config, handler);
  const perEnv = new WeakMap<object, (request: Request, env: Env, ctx: Ctx) => Promise<Response>>();
  return async function workersSessionsHandler(request: Request, env: Env, ctx: Ctx): Promise<Response> {
    const key = typeof env === "object" && env !== null ? env : NO_ENV;
    let wrapped = perEnv.get(key);
    if (!wrapped) {
      wrapped = coreWithSessions<[Env, Ctx]>(config(env), handler);
      perEnv.set(key, wrapped);
    }
    return wrapped(request, env, ctx);
  };
}

/**
 * The session of a request handled inside `withSessions`; `name` may be left out when one session
 * is configured. Throws `SessionError` `ERR_SESSION_MISSING` otherwise, or when the session is
 * `lazy` and `loadSession` has not loaded it yet.
 *
 * @example
 * ```ts
 * import { getSession } from "web-sessions/workers";
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
 * import { loadSession } from "web-sessions/workers";
 *
 * const session = await loadSession<{ userId: string }>(request);
 * ```
 */
export function loadSession<Data extends object = SessionData>(request: Request, name?: string): Promise<Session<Data>> {
  return coreLoadSession<Data>(request, name);
}
