/**
 * A visit counter for Deno Deploy: the session in Deno KV (`DenoKvStore`), the cookie carrying
 * only a signed id, and `POST /logout` that destroys it for good.
 *
 * Run it from the repository (deno.json maps the imports):
 * `deno run --unstable-kv --allow-net --allow-env --allow-read --allow-write examples/deno/kv.ts`,
 * then `curl -c jar -b jar localhost:8000/`. On Deno Deploy, `Deno.openKv()` opens the project's
 * database. Outside this repository, import from `web-sessions/deno` and `web-sessions/deno-kv`.
 */
import { getSession, withSessions } from "../../adapters/deno.ts";
import { DenoKvStore } from "../../src/stores/deno-kv.ts";
import type { DenoKv } from "../../src/stores/deno-kv.ts";

// Public on purpose, so the example runs with no setup; anything real must set SESSION_SECRET.
const secret = Deno.env.get("SESSION_SECRET") ?? "development-only-secret-do-not-deploy-set-SESSION_SECRET";

/** The example's handler over `kv`: `GET /` counts this browser's visits, `POST /logout` forgets them. */
export function counter(kv: DenoKv): Deno.ServeHandler {
  return withSessions({ store: new DenoKvStore({ kv, secrets: secret }) }, async (request) => {
    const { pathname } = new URL(request.url);
    const session = getSession<{ count: number }>(request);
    if (request.method === "POST" && pathname === "/logout") {
      await session.destroy();
      return new Response(null, { status: 204 });
    }
    if (pathname !== "/") return new Response("Not found", { status: 404 });
    const count = (session.get("count") ?? 0) + 1;
    session.set("count", count);
    await session.save();
    return Response.json({ count });
  });
}

if (import.meta.main) {
  Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8000) }, counter(await Deno.openKv()));
}
