// Imports every subpath of web-sessions as installed from its tarball, and drives one session
// through it: run by Node, Deno and Bun (run.js) and bundled for workerd (worker.js).
import * as core from "web-sessions";
import * as hono from "web-sessions/hono";
import * as workers from "web-sessions/workers";
import * as deno from "web-sessions/deno";
import * as bun from "web-sessions/bun";

const modules = {
  "web-sessions": core,
  "web-sessions/hono": hono,
  "web-sessions/workers": workers,
  "web-sessions/deno": deno,
  "web-sessions/bun": bun,
};

export async function probe() {
  const exports = Object.fromEntries(Object.entries(modules).map(([path, module]) => [path, Object.keys(module).sort()]));
  const store = new core.CookieStore({ secrets: "a-package-test-secret-at-least-32-chars" });
  const counts = [];
  for (const adapter of [workers, deno, bun, core]) {
    const handler = adapter.withSessions({ store }, async (request) => {
      const session = adapter.getSession(request);
      session.set("n", (session.get("n") ?? 0) + 1);
      await session.save();
      return new Response(String(session.get("n")));
    });
    const first = await handler(new Request("http://localhost/"), {}, {});
    const cookie = first.headers.get("Set-Cookie").split(";")[0];
    const second = await handler(new Request("http://localhost/", { headers: { Cookie: cookie } }), {}, {});
    counts.push(Number(await first.text()), Number(await second.text()));
  }
  return { exports, counts };
}
