/**
 * RedisStore on a real Redis Cluster (three masters, three replicas, started by the test on free
 * ports) with both cluster clients: the conformance kit, the integrity races, regenerate() across
 * slots, destroyAll() racing a regenerate, and bounded steps at 20,000 sessions (on one Redis too).
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { Cluster, Redis as IoRedis } from "ioredis";
import { createCluster } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { END_SCRIPT } from "../../src/server-store/redis/session-scripts.ts";
import { SAVE_SCRIPT } from "../../src/server-store/redis/save-script.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisClientLike } from "../../src/stores/redis.ts";
import { describeStoreConformance } from "../conformance.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { ensureRedis } from "../support/redis.ts";
import { startRedisCluster } from "../support/redis-cluster.ts";
import { ownerWrite } from "../support/session-write.ts";

const cluster = await startRedisCluster();
const nodeRedis = await createCluster({ rootNodes: cluster.rootNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) }).connect();
const ioredis = new Cluster(cluster.rootNodes);
afterAll(async () => {
  nodeRedis.destroy();
  ioredis.disconnect();
  await cluster.stop();
});

const endSha = await END_SCRIPT.sha();
const saveSha = await SAVE_SCRIPT.sha();
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


/**
 * `client`, with every command that `hold` picks held until `release()`; `reached` resolves when
 * the first one is held. Keeps the shape the store tells the clients apart by.
 */
function gated(client: RedisClientLike, hold: (args: string[]) => boolean) {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const isReached = new Promise<void>((resolve) => (reached = resolve));
  const wait = async (args: string[]) => {
    if (hold(args)) {
      reached();
      await gate;
    }
  };
  const wrapped: RedisClientLike =
    client === ioredis
      ? { isCluster: true, call: async (name: string, ...args: string[]) => (await wait([name, ...args]), ioredis.call(name, ...args)) }
      : {
          sendCommand: async (key: string | undefined, readonly: boolean | undefined, args: string[]) => (await wait(args), nodeRedis.sendCommand(key, readonly, args)),
          getSlotMaster: (slot: number) => nodeRedis.getSlotMaster(slot),
        };
  return { client: wrapped, reached: isReached, release };
}

describe.each(clients)("destroyAll() against a regenerate() in flight on a Redis Cluster (%s)", (_label, client) => {

  /** A signed-in session of "ada" and a regenerating request on it, held where `hold` says. */
  async function setup(hold: (args: string[], keys: string, id: string) => boolean) {
    const keys = prefix();
    const plain = new RedisStore({ client, secrets: SECRET, prefix: keys, owner: "userId" });
    const b = new TestBrowser((request) => app(plain).fetch(request));
    const { id } = await b.json("/login/ada", { method: "POST" });
    const held = gated(client, (args) => hold(args, keys, id));
    const regenerating = app(new RedisStore({ client: held.client, secrets: SECRET, prefix: keys, owner: "userId" }));
    const response = Promise.resolve(regenerating.request("/login/ada", { method: "POST", headers: { Cookie: b.cookieHeader() } }));
    await held.reached;
    return { keys, id, plain, b, held, response };
  }

  async function expectSignedOut({ keys, plain, b, held, response }: Awaited<ReturnType<typeof setup>>) {
    held.release();
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("set-cookie") ?? "").not.toMatch(/^session=[^;]/);
    expect(await plain.list("ada")).toEqual([]);
    expect(await b.json("/keys")).toEqual({ keys: [], isNew: true });
    // No session hash is left of either id.
    const left = await Promise.all(cluster.masters().map((port) => cluster.cli(port, "--scan", "--pattern", `${keys}*`)));
    expect(left.join("").split("\n").filter((key) => key !== "" && !key.includes("owner:"))).toEqual([]);
  }

  it("held after writing the new id: destroyAll() ends both, and the regenerating save finds the old id gone", async () => {
    const run = await setup((args, keys, id) => args[0] === "EVALSHA" && args[1] === endSha && args[3] === keys + id);
    expect(await run.plain.destroyAll("ada")).toBe(2);
    await expectSignedOut(run);
  });

  it("held after indexing the new id, before writing it: destroyAll() ends the old id, and the save then ends its new one", async () => {
    const run = await setup((args, keys, id) => args[0] === "EVALSHA" && args[1] === saveSha && args[3] !== keys + id);
    expect(await run.plain.destroyAll("ada")).toBe(1);
    await expectSignedOut(run);
  });

  it("destroyAll() held on the old id while the regenerate completes: its next pass over the index ends the new id", async () => {
    const keys = prefix();
    const plain = new RedisStore({ client, secrets: SECRET, prefix: keys, owner: "userId" });
    const b = new TestBrowser((request) => app(plain).fetch(request));
    const { id } = await b.json("/login/ada", { method: "POST" });
    const held = gated(client, (args) => args[0] === "EVALSHA" && args[1] === endSha && args[3] === keys + id && args[4] === "ada");
    const destroying = new RedisStore({ client: held.client, secrets: SECRET, prefix: keys, owner: "userId" }).destroyAll("ada");
    await held.reached;
    const { id: after } = await b.json("/login/ada", { method: "POST" });
    expect(after).not.toBe(id);
    held.release();
    // The old id was already gone when destroyAll() reached it; the new one is what it ended.
    expect(await destroying).toBe(1);
    expect(await plain.list("ada")).toEqual([]);
    expect(await b.json("/keys")).toEqual({ keys: [], isNew: true });
  });
});

// The same on one Redis, where a script asks a whole batch of sessions at once.
const single = new IoRedis((await ensureRedis()).url);
afterAll(() => single.disconnect());

describe.each([
  ["a Redis Cluster (ioredis Cluster)", ioredis],
  ["a single Redis (ioredis)", single],
] as const)("RedisStore on %s: bounded steps", (_label, client) => {
  it("lists and signs out an owner with 20,000 sessions, no command touching more than 1,000, final against a request in flight", { timeout: 120_000 }, async () => {
    const keys = prefix();
    const seeding = new RedisStore({ client, secrets: SECRET, prefix: keys, owner: "userId" });
    const ids = Array.from({ length: 20_000 }, () => randomBytes(16).toString("base64url"));
    const cookies: string[] = [];
    for (let at = 0; at < ids.length; at += 1000) {
      cookies.push(...(await Promise.all(ids.slice(at, at + 1000).map((id) => seeding.save("session", ownerWrite(id, "ada")).then(String)))));
    }
    // Every command the store sends, and how many of the owner's sessions each names.
    const known = new Set(ids);
    let most = 0;
    let commands = 0;
    const recording: RedisClientLike = {
      isCluster: client.isCluster,
      call: (name: string, ...args: string[]) => {
        commands++;
        most = Math.max(most, args.filter((arg) => known.has(arg) || known.has(arg.slice(keys.length))).length);
        return client.call(name, ...args);
      },
    };
    const store = new RedisStore({ client: recording, secrets: SECRET, prefix: keys, owner: "userId" });
    const started = Date.now();
    expect((await store.list("ada")).map(({ id }) => id).sort()).toEqual([...ids].sort());
    const listed = Date.now() - started;

    // A request that loaded one of the sessions, held open until destroyAll() has resolved.
    let release!: () => void;
    let loaded!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const isLoaded = new Promise<void>((resolve) => (loaded = resolve));
    const late = new Hono();
    late.use(sessions("session", store));
    late.post("/", async (c) => {
      loaded();
      await gate;
      getSession(c).set("late", true);
      await getSession(c).save();
      return c.text("ok");
    });
    const response = Promise.resolve(late.request("/", { method: "POST", headers: { Cookie: `session=${cookies[1]}` } }));
    await isLoaded;
    const destroyStarted = Date.now();
    expect(await store.destroyAll("ada", { except: ids[0] })).toBe(19_999);
    const destroyed = Date.now() - destroyStarted;
    release();
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("set-cookie") ?? "").not.toMatch(/^session=[^;]/);
    expect((await store.list("ada")).map(({ id }) => id)).toEqual([ids[0]]);
    expect(await client.exists(keys + ids[1])).toBe(0);
    expect(most).toBeGreaterThan(client.isCluster ? 0 : 100);
    expect(most).toBeLessThanOrEqual(1000);
    console.log(`[bounded steps, ${_label}] 20,000 sessions: list() ${listed} ms, destroyAll() ${destroyed} ms, ${commands} commands, at most ${most} sessions in one`);
  });
});
