/**
 * A visit counter on `Bun.serve`, its session in an encrypted cookie.
 *
 * Run it with `bun examples/bun/server.ts`, then `curl -c jar -b jar localhost:8000/`.
 * Outside this repository, import from `web-sessions` and `web-sessions/bun` instead of the
 * relative paths.
 */
import { CookieStore } from "../../src/index.ts";
import { getSession, withSessions } from "../../adapters/bun.ts";

// Public on purpose, so the example runs with no setup; anything real must set SESSION_SECRET.
const secret = Bun.env.SESSION_SECRET ?? "development-only-secret-do-not-deploy-set-SESSION_SECRET";

/** The example's `fetch` handler: `GET /` counts this browser's visits. */
export const fetch = withSessions({ store: new CookieStore({ secrets: secret }) }, async (request) => {
  if (new URL(request.url).pathname !== "/") return new Response("Not found", { status: 404 });
  const session = getSession<{ count: number }>(request);
  const count = (session.get("count") ?? 0) + 1;
  session.set("count", count);
  await session.save();
  return Response.json({ count });
});

if (import.meta.main) {
  const server = Bun.serve({ port: Number(Bun.env.PORT ?? 8000), fetch });
  console.log(`Listening on ${server.url}`);
}
