/**
 * The sessions hook: every request gets `event.locals.session`, kept in an encrypted cookie.
 * Outside this repository, import from `web-sessions` and `web-sessions/sveltekit` instead of the
 * relative paths.
 */
import { env } from "$env/dynamic/private";
import { CookieStore } from "../../../src/index.ts";
import { handleSessions } from "../../../adapters/sveltekit.ts";

// Public on purpose, so the example runs with no setup; anything real must set SESSION_SECRET.
const secret = env.SESSION_SECRET ?? "development-only-secret-do-not-deploy-set-SESSION_SECRET";

export const handle = handleSessions({ store: new CookieStore({ secrets: secret }), autoSave: true });
