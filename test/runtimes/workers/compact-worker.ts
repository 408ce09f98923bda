/** The smallest compact-format Worker: what an app that never asks for JWTs bundles. */
import { CookieStore } from "../../../src/index.ts";
import { getSession, withSessions } from "../../../adapters/workers.ts";

export default {
  fetch: withSessions({ store: new CookieStore({ secrets: "a-bundle-size-secret-at-least-32-chars" }) }, async (request: Request) => {
    const session = getSession<{ count: number }>(request);
    session.set("count", (session.get("count") ?? 0) + 1);
    await session.save();
    return new Response(String(session.get("count")));
  }),
};
