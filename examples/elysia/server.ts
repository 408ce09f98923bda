/**
 * A visit counter on Elysia, its session in an encrypted cookie, and a sign-in that regenerates
 * the session id before a redirect.
 *
 * Run it with `bun examples/elysia/server.ts`, then `curl -c jar -b jar localhost:3000/`.
 * Outside this repository, import from `web-sessions` and `web-sessions/elysia` instead of the
 * relative paths.
 */
import { Elysia } from "elysia";
import { CookieStore } from "../../src/index.ts";
import { sessions } from "../../adapters/elysia.ts";

// Public on purpose, so the example runs with no setup; anything real must set SESSION_SECRET.
const secret = Bun.env.SESSION_SECRET ?? "development-only-secret-do-not-deploy-set-SESSION_SECRET";

/** The example app: `GET /` counts this browser's visits, `POST /login` signs in and redirects. */
export const app = new Elysia()
  .use(sessions<{ count: number; user: string }>({ store: new CookieStore({ secrets: secret }) }))
  .get("/", async ({ session }) => {
    const count = (session.get("count") ?? 0) + 1;
    session.set("count", count);
    await session.save();
    return { count };
  })
  .post("/login", async ({ session, redirect }) => {
    await session.regenerate(); // a new id at sign-in: a planted cookie cannot ride the login
    session.set("user", "ada");
    await session.save();
    return redirect("/", 303);
  });

if (import.meta.main) {
  app.listen({ port: Number(Bun.env.PORT ?? 3000), hostname: "127.0.0.1" });
  console.log(`Listening on http://127.0.0.1:${app.server?.port}`);
}
