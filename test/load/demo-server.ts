/**
 * The demo on @hono/node-server, in its own process so the load generator's memory does not blur
 * the server's: `STORE=cookie|memory`, `MAX_ENTRIES` bounds the MemoryStore. It tells its parent the
 * port, and answers "memory" messages with its memory use after a full GC (run with --expose-gc).
 */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { DEVICE_LISTING, createApp } from "../../examples/demo/app.ts";
import { CookieStore, MemoryStore } from "../../src/index.ts";

const SECRET = "load-test-secret-that-is-long-enough-0001";
const kind = process.env.STORE ?? "memory";
const store =
  kind === "cookie"
    ? new CookieStore({ secrets: SECRET })
    : new MemoryStore({ secrets: SECRET, ...DEVICE_LISTING, maxEntries: Number(process.env.MAX_ENTRIES ?? 10_000) });
const app = createApp(store, { secureCookies: false });

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
  process.send!({ port: info.port });
});

process.on("message", (message) => {
  if (message === "memory") {
    // Twice: the first pass may only finalize what the second frees.
    globalThis.gc!();
    globalThis.gc!();
    const { rss, heapUsed, external } = process.memoryUsage();
    process.send!({ rss, heapUsed, external, sessions: store instanceof MemoryStore ? store.size : undefined });
  } else if (message === "stop") {
    server.close(() => process.exit(0));
  }
});
