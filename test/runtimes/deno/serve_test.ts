// web-sessions/deno under Deno.serve, over real HTTP.
import { handler } from "../../../examples/deno/main.ts";
import { getSession, loadSession, withSessions } from "../../../adapters/deno.ts";
import { MemoryStore } from "../../../src/index.ts";
import { SessionError } from "../../../src/errors.ts";
import { assert } from "../../support/assert.ts";
import { SECRET } from "../../support/browser.ts";
import { countThreeTimes, httpGet } from "../counter-flow.ts";

async function serving(fetch: Deno.ServeHandler<Deno.NetAddr>, run: (base: string) => Promise<void>): Promise<void> {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, fetch);
  try {
    await run(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

Deno.test("examples/deno counts 1, 2, 3 over real HTTP as the cookie comes back", async () => {
  await serving(handler, async (base) => {
    await countThreeTimes(httpGet(base));
  });
});

Deno.test("withSessions passes Deno's info through and serves lazy named sessions through loadSession", async () => {
  const wrapped = withSessions({ names: ["a", "b"], lazy: true, store: new MemoryStore({ secrets: SECRET }) }, async (request, info) => {
    const a = await loadSession(request, "a");
    a.set("seen", true);
    await a.save();
    let unnamed = "";
    try {
      getSession(request);
    } catch (error) {
      unnamed = (error as SessionError).code;
    }
    return Response.json({ hostname: info.remoteAddr.hostname, unnamed, b: (await loadSession(request, "b")).isNew });
  });
  await serving(wrapped, async (base) => {
    const response = await fetch(base + "/");
    assert.deepEqual(await response.json(), { hostname: "127.0.0.1", unnamed: "ERR_SESSION_MISSING", b: true });
    assert.deepEqual(
      response.headers.getSetCookie().map((line) => line.split("=")[0]),
      ["a"],
    );
  });
});
