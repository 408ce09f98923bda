/**
 * RedisStore through Sentinel-managed clients (node-redis `createSentinel`, ioredis with
 * `sentinels`) against a real master, replica and three sentinels this file starts: the store
 * conformance kit with its server-store races, 40 concurrent writers on one session, reads that
 * see the save just made. The failover under traffic is in redis-sentinel-failover.test.ts.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisClientLike } from "../../src/stores/redis.ts";
import { describeStoreConformance } from "../conformance.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { sentinelClients } from "../support/redis-sentinel.ts";

const { group, nodeRedis, ioredis } = await sentinelClients();

const prefix = () => `test:sentinel:${randomBytes(6).toString("hex")}:`;
const clients: Array<[string, RedisClientLike]> = [
  ["node-redis createSentinel", nodeRedis],
  ["ioredis sentinels", ioredis],
];

for (const [label, client] of clients) {
  const shared = prefix();
  describeStoreConformance(`RedisStore over Sentinel (${label})`, {
    make: (secrets = [SECRET], options) => new RedisStore({ client, secrets, prefix: shared, ...options }),
    serverSide: true,
    sharedBackend: true,
  });
}

describe.each(clients)("RedisStore over Sentinel (%s)", (_label, client) => {
  it("keeps all 40 keys set by 40 concurrent requests on one session", async () => {
    const store = new RedisStore({ client, secrets: SECRET, prefix: prefix() });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loaded = 0;
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/set/:key", async (c) => {
      const key = c.req.param("key");
      getSession(c).set(key, true);
      // All 40 writers have loaded before any saves: their writes overlap for certain.
      if (key !== "start") (loaded++, await gate);
      await getSession(c).save();
      return c.text("ok");
    });
    app.get("/keys", (c) => c.json(["start", ...Array.from({ length: 40 }, (_, i) => `k${i}`)].filter((key) => getSession(c).get(key))));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/set/start", { method: "POST" });
    const cookie = b.cookieHeader();
    const requests = Array.from({ length: 40 }, (_, i) => app.request(`/set/k${i}`, { method: "POST", headers: { Cookie: cookie } }));
    while (loaded < 40) await new Promise((resolve) => setTimeout(resolve, 1));
    release();
    expect(await Promise.all(requests.map(async (response) => (await response).status))).toEqual(Array(40).fill(200));
    expect(await b.json("/keys")).toHaveLength(41);
  });

  it("sends every command to the master: a read right after a save sees it, on the master's own data", async () => {
    const keys = prefix();
    const store = new RedisStore({ client, secrets: SECRET, prefix: keys });
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/n/:n", async (c) => (getSession(c).set("n", Number(c.req.param("n"))), await getSession(c).save(), c.text("ok")));
    app.get("/n", (c) => c.json(getSession(c).get("n") ?? null));
    const b = new TestBrowser((request) => app.fetch(request));
    for (let n = 1; n <= 20; n++) {
      await b.fetch(`/n/${n}`, { method: "POST" });
      expect(await b.json("/n")).toBe(n);
    }
    const master = await group.masterPort();
    expect(await group.command(master, "KEYS", `${keys}*`)).toMatch(/^\*1\r\n/);
  });
});
