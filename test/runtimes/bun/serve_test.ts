// web-sessions/bun under Bun.serve, over real HTTP.
import { test } from "bun:test";
import { fetch as exampleFetch } from "../../../examples/bun/server.ts";
import { getSession, loadSession, withSessions } from "../../../adapters/bun.ts";
import { MemoryStore } from "../../../src/index.ts";
import type { SessionError } from "../../../src/errors.ts";
import { assert } from "../../support/assert.ts";
import { SECRET } from "../../support/browser.ts";
import { countThreeTimes, httpGet } from "../counter-flow.ts";
import type { Server } from "bun";

async function serving(
  fetch: (request: Request, server: Server<undefined>) => Response | Promise<Response>,
  run: (base: string) => Promise<void>,
): Promise<void> {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch });
  try {
    await run(`http://127.0.0.1:${server.port}`);
  } finally {
    await server.stop(true);
  }
}

test("examples/bun counts 1, 2, 3 over real HTTP as the cookie comes back", async () => {
  await serving(exampleFetch, async (base) => {
    await countThreeTimes(httpGet(base));
  });
});

test("withSessions passes Bun's server through and serves lazy named sessions through loadSession", async () => {
  const wrapped = withSessions({ names: ["a", "b"], lazy: true, store: new MemoryStore({ secrets: SECRET }) }, async (request, server) => {
    const a = await loadSession(request, "a");
    a.set("seen", true);
    await a.save();
    let unnamed = "";
    try {
      getSession(request);
    } catch (error) {
      unnamed = (error as SessionError).code;
    }
    return Response.json({ ip: server.requestIP(request)?.address, unnamed, b: (await loadSession(request, "b")).isNew });
  });
  await serving(wrapped, async (base) => {
    const response = await fetch(base + "/");
    assert.deepEqual(await response.json(), { ip: "127.0.0.1", unnamed: "ERR_SESSION_MISSING", b: true });
    assert.deepEqual(
      response.headers.getSetCookie().map((line) => line.split("=")[0]),
      ["a"],
    );
  });
});
