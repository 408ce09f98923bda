// Imports every subpath of web-sessions as installed from its tarball, and drives one session
// through it: run by Node, Deno and Bun (run.js) and bundled for workerd (worker.js).
import { Hono } from "hono";
import * as core from "web-sessions";
import * as hono from "web-sessions/hono";
import * as workers from "web-sessions/workers";
import * as deno from "web-sessions/deno";
import * as bun from "web-sessions/bun";
import * as sveltekit from "web-sessions/sveltekit";
import * as upstash from "web-sessions/upstash";
import * as redis from "web-sessions/redis";
import * as jwt from "web-sessions/jwt";
import * as denoKv from "web-sessions/deno-kv";
import * as postgres from "web-sessions/postgres";
import * as sqlite from "web-sessions/sqlite";
import * as testing from "web-sessions/testing";

const modules = {
  "web-sessions": core,
  "web-sessions/hono": hono,
  "web-sessions/workers": workers,
  "web-sessions/deno": deno,
  "web-sessions/bun": bun,
  "web-sessions/sveltekit": sveltekit,
  "web-sessions/upstash": upstash,
  "web-sessions/redis": redis,
  "web-sessions/jwt": jwt,
  "web-sessions/deno-kv": denoKv,
  "web-sessions/postgres": postgres,
  "web-sessions/sqlite": sqlite,
  "web-sessions/testing": testing,
};

const SECRET = "a-package-test-secret-at-least-32-chars";

/**
 * Two requests, the second with the first's cookie, through a wrapped counter; returns both counts.
 * A `lazy` session is reached through `loadSession`.
 */
export async function twice(adapter, store, lazy = false) {
  const handler = adapter.withSessions({ store, lazy }, async (request) => {
    const session = lazy ? await adapter.loadSession(request) : adapter.getSession(request);
    session.set("n", (session.get("n") ?? 0) + 1);
    await session.save();
    return new Response(String(session.get("n")));
  });
  const first = await handler(new Request("http://localhost/"), {}, {});
  const cookie = first.headers.get("Set-Cookie").split(";")[0];
  const second = await handler(new Request("http://localhost/", { headers: { Cookie: cookie } }), {}, {});
  return [Number(await first.text()), Number(await second.text())];
}

/** The same two requests through a Hono app with the `web-sessions/hono` middleware. */
async function twiceWithHono(store) {
  const app = new Hono();
  app.use(hono.sessions("session", store));
  app.get("/", async (c) => {
    const session = hono.getSession(c);
    session.set("n", (session.get("n") ?? 0) + 1);
    await session.save();
    return c.text(String(session.get("n")));
  });
  const first = await app.request("/");
  const cookie = first.headers.get("Set-Cookie").split(";")[0];
  const second = await app.request("/", { headers: { Cookie: cookie } });
  return [Number(await first.text()), Number(await second.text())];
}

/**
 * Each subpath's exports, then the counts of `twice` through every wrapper and Hono with a CookieStore,
 * through the Workers one with a JWT-format CookieStore and,
 * given the URL and token of an Upstash endpoint, through the Workers one with a lazy
 * UpstashRedisStore session.
 */
export async function probe(upstashAccess) {
  const exports = Object.fromEntries(Object.entries(modules).map(([path, module]) => [path, Object.keys(module).sort()]));
  const store = new core.CookieStore({ secrets: SECRET });
  const counts = [];
  for (const adapter of [workers, deno, bun, core]) counts.push(...(await twice(adapter, store)));
  counts.push(...(await twiceWithHono(store)));
  counts.push(...(await twice(workers, new core.CookieStore({ secrets: SECRET, format: "jwt", chunks: 2 }))));
  if (upstashAccess) {
    const prefix = `test:package:${crypto.randomUUID()}:`;
    counts.push(...(await twice(workers, new upstash.UpstashRedisStore({ ...upstashAccess, secrets: SECRET, prefix }), true)));
  }
  return { exports, counts };
}
