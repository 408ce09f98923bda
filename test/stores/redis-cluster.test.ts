/**
 * RedisStore on a real Redis Cluster (three masters, three replicas, started by the test on free
 * ports) with both cluster clients: the conformance kit, the integrity races, regenerate() across
 * slots, destroyAll() racing a regenerate, and bounded steps at 20,000 sessions.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { Cluster } from "ioredis";
import { createCluster } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import type { SessionWrite } from "../../src/store.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisClientLike } from "../../src/stores/redis.ts";
import { describeStoreConformance } from "../conformance.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { startRedisCluster } from "../support/redis-cluster.ts";

const cluster = await startRedisCluster();
const nodeRedis = await createCluster({ rootNodes: cluster.rootNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) }).connect();
const ioredis = new Cluster(cluster.rootNodes);
afterAll(async () => {
  nodeRedis.destroy();
  ioredis.disconnect();
  await cluster.stop();
});

const prefix = () => `test:cluster:${randomBytes(6).toString("hex")}:`;
const clients: Array<[string, RedisClientLike]> = [["node-redis createCluster", nodeRedis], ["ioredis Cluster", ioredis]];

for (const [label, client] of clients) {
  const shared = prefix();
  describeStoreConformance(`RedisStore on a Redis Cluster (${label})`, {
    make: (secrets = [SECRET], options) => new RedisStore({ client, secrets, prefix: shared, ...options }),
    serverSide: true,
    sharedBackend: true,
  });
}

/** A key's hash slot, as the cluster computes it. */
const slotOf = (key: string) => Number(cluster.cli(cluster.nodes[0]!.port, "CLUSTER", "KEYSLOT", key).trim());

const KNOWN = ["start", "k", "userId", ...Array.from({ length: 40 }, (_, i) => `k${i}`)];

function app(store: RedisStore) {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/set/:key", async (c) => {
    getSession(c).set(c.req.param("key"), true);
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  app.post("/login/:user", async (c) => {
    getSession(c).set("userId", c.req.param("user"));
    await getSession(c).regenerate();
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  app.get("/keys", (c) => c.json({ keys: KNOWN.filter((key) => getSession(c).get(key) !== undefined).sort(), isNew: getSession(c).isNew }));
  return app;
}

describe.each(clients)("RedisStore on a Redis Cluster (%s)", (_label, client) => {
  it("keeps all 40 keys set by 40 concurrent requests on one session", async () => {
    const store = new RedisStore({ client, secrets: SECRET, prefix: prefix() });
    const a = app(store);
    const b = new TestBrowser((request) => a.fetch(request));
    await b.fetch("/set/start", { method: "POST" });
    const cookie = b.cookieHeader();
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => a.request(`/set/k${i}`, { method: "POST", headers: { Cookie: cookie } })));
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(200));
    const { keys } = await b.json("/keys");
    expect(keys).toEqual(["start", ...Array.from({ length: 40 }, (_, i) => `k${i}`)].sort());
  });

  it("regenerate() moves a session to an id in another hash slot, and its owner index with it", async () => {
    const keys = prefix();
    const store = new RedisStore({ client, secrets: SECRET, prefix: keys, owner: "userId" });
    const a = app(store);
    const b = new TestBrowser((request) => a.fetch(request));
    // Sign in until the new id lands in another slot than the old one (almost always the first time).
    let before = (await b.json("/set/k", { method: "POST" })).id as string;
    let after = before;
    for (let i = 0; i < 5 && slotOf(keys + after) === slotOf(keys + before); i++) {
      before = after;
      after = (await b.json("/login/ada", { method: "POST" })).id;
    }
    expect(slotOf(keys + after)).not.toBe(slotOf(keys + before));
    expect(await b.json("/keys")).toEqual({ keys: ["k", "userId"], isNew: false });
    expect((await store.list("ada")).map(({ id }) => id)).toEqual([after]);
    expect(await ioredis.exists(keys + before)).toBe(0);
  });
});

/** A save of a session of `owner` with one value, as the jar would hand it to the store. */
function write(id: string, owner: string): SessionWrite {
  const now = Date.now();
  return {
    id,
    previousId: undefined,
    data: new Map<string, unknown>([["userId", owner]]),
    changed: new Set(["userId"]),
    deleted: new Set(),
    cleared: false,
    createdAt: now,
    expiresAt: now + 600_000,
    flashes: new Map(),
    flashIds: new Map(),
  };
}
