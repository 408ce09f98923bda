/**
 * SvelteKit: `handleSessions(config)` is a `Handle` for `src/hooks.server.ts`. It sets
 * `event.locals.session`, `event.locals.sessions` and `event.locals.loadSession`, and puts the
 * `Set-Cookie` lines on the response SvelteKit resolves: a page, an endpoint's `Response`, a
 * `redirect()` thrown from a load or an action, an action's result. It only moves headers between
 * SvelteKit's event and the core, and loads nothing of SvelteKit at run time (its types only).
 *
 * @module
 */

import type { Handle } from "@sveltejs/kit";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { SessionsConfig } from "../src/jar.ts";
import { sessionContext } from "../src/session-context.ts";
import type { SessionContext } from "../src/session-context.ts";
import type { SessionData } from "../src/store.ts";
import { appendSetCookies, attachSessions } from "../src/with-sessions.ts";

/**
 * What `handleSessions` puts on `event.locals`. Declare it in `src/app.d.ts`:
 *
 * ```ts
 * import type { SessionLocals } from "web-sessions/sveltekit";
 *
 * declare global {
 *   namespace App {
 *     interface Locals extends SessionLocals<{ count: number }> {}
 *   }
 * }
 * export {};
 * ```
 */
export type SessionLocals<Data extends object = SessionData> = SessionContext<Data>;

/**
 * The sessions `Handle`. Throws `SessionError` `ERR_SESSION_CONFIG` here, when `hooks.server.ts`
 * is loaded, if the configuration is wrong. A session that cannot be loaded or saved
 * (`ERR_SESSION_STORE`) fails the request through SvelteKit's `handleError`.
 *
 * A response of status 500 or more counts as a failed request: its half-done changes are not
 * auto-saved, but the saves and destroys made before the error keep their cookies. Combine it
 * with other hooks through `sequence()` from `@sveltejs/kit/hooks`.
 *
 * @example
 * ```ts
 * // src/hooks.server.ts
 * import { env } from "$env/dynamic/private";
 * import { CookieStore } from "web-sessions";
 * import { handleSessions } from "web-sessions/sveltekit";
 *
 * export const handle = handleSessions({ store: new CookieStore({ secrets: env.SESSION_SECRET! }) });
 * ```
 */
export function handleSessions(config: Omit<SessionsConfig, "onError">): Handle {
  const settings = resolveSettings(config, "handleSessions");
  return async function sessionsHandle({ event, resolve }) {
    const jar = await SessionJar.open(settings, event.request.headers.get("Cookie"));
    // Over every jar of the request: several handleSessions in a sequence() add up.
    Object.assign(event.locals, sessionContext(attachSessions(event.request, jar)));
    // SvelteKit turns a thrown redirect() or error() into the response itself: resolve returns it.
    const response = await resolve(event);
    return appendSetCookies(response, await jar.commit({ failed: response.status >= 500 }));
  };
}
