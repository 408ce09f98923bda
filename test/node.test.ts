// The core wrapper on Node over real HTTP, through @hono/node-server (docs/adapters/node.md's quick start).
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { describe, it } from "vitest";
import { MemoryStore, getSession, withSessions } from "../src/index.ts";
import { SECRET } from "./support/browser.ts";
import { countThreeTimes, httpGet } from "./runtimes/counter-flow.ts";

describe(`Node ${process.version} (@hono/node-server)`, () => {
  it("counts 1, 2, 3 over real HTTP as the cookie comes back", async () => {
    const fetch = withSessions({ store: new MemoryStore({ secrets: SECRET }) }, async (request) => {
      const session = getSession<{ count: number }>(request);
      session.set("count", (session.get("count") ?? 0) + 1);
      await session.save();
      return Response.json({ count: session.get("count") });
    });
    const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
      const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => resolve({ server, port: info.port }));
    });
    try {
      await countThreeTimes(httpGet(`http://127.0.0.1:${port}`));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
