/**
 * Elysia: `sessions(config)` is a named plugin, scoped globally, that resolves `session`,
 * `sessions` and `loadSession` into every handler's context and puts the `Set-Cookie` lines on
 * whatever the handler returns. It only moves headers between Elysia's context and the core.
 *
 * @module
 */

import { Elysia, serializeCookie } from "elysia";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { SessionsConfig } from "../src/jar.ts";
import { sessionContext } from "../src/session-context.ts";
import type { SessionContext } from "../src/session-context.ts";
import type { SessionData } from "../src/store.ts";
import { appendSetCookies, attachSessions } from "../src/with-sessions.ts";

export type { SessionContext } from "../src/session-context.ts";

/** `withSessions`'s configuration (errors go through Elysia's `onError`), plus the plugin's `seed`. */
export interface ElysiaSessionsConfig extends Omit<SessionsConfig, "onError"> {
  /**
   * Elysia applies a named plugin once per name and seed, however many sub-apps use it. Give each
   * differently configured instance its own seed when an app mounts several. @default the session names
   */
  seed?: unknown;
}

/** The part of Elysia's `set` that carries cookies. */
interface CookieSet {
  headers: Record<string, unknown>;
  cookie?: Parameters<typeof serializeCookie>[0];
}

const asLines = (value: unknown): string[] => (Array.isArray(value) ? value : typeof value === "string" ? [value] : []);

/**
 * Takes every Set-Cookie line of the response being built: those already in `set.headers`, those
 * of Elysia's own cookie jar (`cookie.name.value = ...`, which Elysia would otherwise write over
 * `set.headers` when it builds the response; serialized here by Elysia's own `serializeCookie`),
 * then the sessions'. Both sets then go out together.
 */
function takeLines(set: CookieSet, lines: string[]): string[] {
  const all = [...asLines(set.headers["set-cookie"]), ...asLines(serializeCookie(set.cookie)), ...lines];
  delete set.headers["set-cookie"];
  set.cookie = {};
  return all;
}

/**
 * The sessions plugin, named `web-sessions`, its hooks scoped `global` so every route of the app
 * that uses it (and of the apps that use that one) gets its sessions. Throws `SessionError`
 * `ERR_SESSION_CONFIG` here, not per request, if the configuration is wrong. A session that
 * cannot be loaded or saved (`ERR_SESSION_STORE`) fails the request through Elysia's `onError`;
 * the saves and destroys done before an error keep their cookies.
 *
 * @example
 * ```ts
 * import { Elysia, serializeCookie } from "elysia";
 * import { CookieStore } from "web-sessions";
 * import { sessions } from "web-sessions/elysia";
 *
 * new Elysia()
 *   .use(sessions<{ count: number }>({ store: new CookieStore({ secrets: process.env.SESSION_SECRET! }) }))
 *   .get("/", async ({ session }) => {
 *     session.set("count", (session.get("count") ?? 0) + 1);
 *     await session.save();
 *     return { count: session.get("count") };
 *   })
 *   .listen(3000);
 * ```
 */
export function sessions<Data extends object = SessionData>(config: ElysiaSessionsConfig) {
  const settings = resolveSettings(config, "sessions");
  const jars = new WeakMap<Request, SessionJar>();
  return new Elysia({ name: "web-sessions", seed: config.seed ?? settings.names })
    .resolve({ as: "global" }, async function openSessions({ request }): Promise<SessionContext<Data>> {
      const jar = await SessionJar.open(settings, request.headers.get("Cookie"));
      jars.set(request, jar);
      // Over every jar of the request: two instances (two stores, two seeds) add up.
      return sessionContext<Data>(attachSessions(request, jar));
    })
    .onAfterHandle({ as: "global" }, async function commitSessions({ request, responseValue, set }) {
      const jar = jars.get(request);
      if (!jar) return;
      // Should the commit fail (autoSave with the store down), onError still finds the jar.
      const lines = await jar.commit();
      jars.delete(request);
      if (lines.length === 0) return;
      const all = takeLines(set, lines);
      // A Response (a redirect's headers are immutable) gets the lines itself, copied if need be.
      if (responseValue instanceof Response) return appendSetCookies(responseValue, all);
      set.headers["set-cookie"] = all;
    })
    .onError({ as: "global" }, async function commitAfterError({ request, set }) {
      const jar = jars.get(request);
      if (!jar) return;
      jars.delete(request);
      // As in the Hono adapter: half-done changes are not auto-saved after an error, but the
      // cookies of the saves and destroys that already happened go out with the error response.
      const lines = await jar.commit({ failed: true });
      if (lines.length > 0) set.headers["set-cookie"] = takeLines(set, lines);
    });
}
