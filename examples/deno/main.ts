/**
 * A visit counter on `Deno.serve`, its session in an encrypted cookie.
 *
 * Run it from the repository (deno.json maps the imports):
 * `deno run --allow-net --allow-env examples/deno/main.ts`, then
 * `curl -c jar -b jar localhost:8000/`. Outside it, import from `web-sessions` and
 * `web-sessions/deno` instead of the relative paths.
 */
import { CookieStore } from "../../src/index.ts";
import { getSession, withSessions } from "../../adapters/deno.ts";

// Public on purpose, so the example runs with no setup; anything real must set SESSION_SECRET.
const secret = Deno.env.get("SESSION_SECRET") ?? "development-only-secret-do-not-deploy-set-SESSION_SECRET";

/** The example's handler: `GET /` counts this browser's visits. */
export const handler = withSessions(
  { store: new CookieStore({ secrets: secret }) },
  async (request) => {
    if (new URL(request.url).pathname !== "/") return new Response("Not found", { status: 404 });
    const session = getSession<{ count: number }>(request);
    const count = (session.get("count") ?? 0) + 1;
    session.set("count", count);
    await session.save();
    return Response.json({ count });
  },
);

if (import.meta.main) {
  Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8000) }, handler);
}
