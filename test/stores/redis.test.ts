import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { Hono } from "hono";
import { Redis as IoRedis } from "ioredis";
import { RESP_TYPES, createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { SessionError } from "../../src/errors.ts";
import { parseHash } from "../../src/server-store/redis/fields.ts";
import { RedisScript } from "../../src/server-store/redis/script.ts";
import { INDEX_PAGE_SCRIPT } from "../../src/server-store/redis/index-scripts.ts";
import { END_SCRIPT, INFO_SCRIPT } from "../../src/server-store/redis/session-scripts.ts";
import type { SessionWrite, Store } from "../../src/store.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisStoreOptions } from "../../src/stores/redis.ts";
import { UpstashRedisStore } from "../../src/stores/upstash.ts";
import { manualClock } from "../../testing/assert.ts";
import { describeStoreConformance } from "../conformance.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { freePort } from "../support/free-port.ts";
import { ensureRedis } from "../support/redis.ts";
import { startUpstashEndpoint } from "../support/upstash-endpoint.ts";
import { dataWrite } from "../support/session-write.ts";

const { url } = await ensureRedis();
const nodeRedis = await createClient({ url }).connect();
const ioredis = new IoRedis(url);
// RESP 3: HGETALL answers with a map, which node-redis gives as an object, or as a Map when asked.
const resp3 = await createClient({ url, RESP: 3 }).connect();
const endpoint = await startUpstashEndpoint({ redisUrl: url });
afterAll(async () => {
  nodeRedis.destroy();
  resp3.destroy();
  ioredis.disconnect();
  await endpoint.close();
});

const prefix = () => `test:tcp:${randomBytes(6).toString("hex")}:`;

for (const [label, client] of [["node-redis", nodeRedis], ["ioredis", ioredis]] as const) {
  // One prefix per factory: the stores it makes are instances of one app sharing Redis.
  const shared = prefix();
  describeStoreConformance(`RedisStore (${label})`, {
    make: (secrets = [SECRET], options) => new RedisStore({ client, secrets, prefix: shared, ...options }),
    serverSide: true,
    sharedBackend: true,
  });
}

/** A node-redis client that counts the commands sent through it. */
function counted() {
  const counter = { commands: [] as string[], client: { sendCommand: (args: string[]) => (counter.commands.push(args[0]!), nodeRedis.sendCommand(args)) } };
  return counter;
}

function counterApp(store: Store) {
  const app = new Hono();
  app.use(sessions("session", store));
  app.get("/read", (c) => c.json(getSession(c).get("count") ?? null));
  app.post("/incr", async (c) => {
    getSession(c).set("count", ((getSession(c).get("count") as number) ?? 0) + 1);
    await getSession(c).save();
    return c.json(getSession(c).get("count"));
  });
  app.post("/logout", async (c) => {
    await getSession(c).destroy();
    return c.text("bye");
  });
  return app;
}

describe("RedisStore round trips", () => {
  it("loads with one command and saves with one (EVALSHA: fields and TTL; the owner key untouched)", async () => {
    const counter = counted();
    const app = counterApp(new RedisStore({ client: counter.client, secrets: SECRET, prefix: prefix(), owner: "userId" }));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.json("/incr", { method: "POST" });
    expect(counter.commands).toEqual(["EVALSHA"]);
    counter.commands.length = 0;
    expect(await b.json("/incr", { method: "POST" })).toBe(2);
    expect(counter.commands).toEqual(["HGETALL", "EVALSHA"]);
    counter.commands.length = 0;
    await b.json("/read");
    await app.request("/read", { headers: { Cookie: "session=forged.value" } });
    expect(counter.commands).toEqual(["HGETALL"]);
  });

  it("records a read-only request's use with one EVALSHA once m:s is 5 minutes old, none within 5 minutes; the touch changes m:s only", async () => {
    const counter = counted();
    const keys = prefix();
    const store = new RedisStore({ client: counter.client, secrets: SECRET, prefix: keys });
    const app = counterApp(store);
    const b = new TestBrowser((request) => app.fetch(request));
    const clock = manualClock();
    try {
      await b.json("/incr", { method: "POST" });
      const [key] = await nodeRedis.keys(keys + "*");
      const savedAt = Number((await nodeRedis.hGet(key!, "m:s"))!.slice(1));
      const expiry = await nodeRedis.sendCommand(["PEXPIRETIME", key!]);
      counter.commands.length = 0;
      clock.advance(4 * 60_000);
      await b.json("/read");
      expect(counter.commands).toEqual(["HGETALL"]);
      expect(Number((await nodeRedis.hGet(key!, "m:s"))!.slice(1))).toBe(savedAt);
      clock.advance(60_000);
      const touchedAt = Date.now();
      expect(await b.json("/read")).toBe(1);
      expect(counter.commands).toEqual(["HGETALL", "HGETALL", "EVALSHA"]);
      const seen = Number((await nodeRedis.hGet(key!, "m:s"))!.slice(1));
      expect(seen).toBeGreaterThanOrEqual(touchedAt);
      expect(seen).toBeLessThanOrEqual(Date.now());
      expect(await nodeRedis.sendCommand(["PEXPIRETIME", key!])).toBe(expiry);
      expect(await nodeRedis.hGet(key!, "d:count")).toBe("=1");
      await b.json("/read");
      expect(counter.commands).toEqual(["HGETALL", "HGETALL", "EVALSHA", "HGETALL"]);
    } finally {
      clock.restore();
    }
  });

  it("touches a hash written before m:s existed, and never creates the hash of a session that is gone", async () => {
    const keys = prefix();
    const store = new RedisStore({ client: nodeRedis, secrets: SECRET, prefix: keys });
    const b = new TestBrowser((request) => counterApp(store).fetch(request));
    await b.json("/incr", { method: "POST" });
    const [key] = await nodeRedis.keys(keys + "*");
    const id = key!.slice(keys.length);
    await nodeRedis.hDel(key!, "m:s");
    expect((await store.load("session", b.cookieHeader().slice("session=".length)))?.lastSeenAt).toBeUndefined();
    await store.touch("session", id, 1_000_000);
    expect(await nodeRedis.hGet(key!, "m:s")).toBe("=1000000");
    await store.destroy("session", id);
    await store.touch("session", id, 2_000_000);
    expect(await nodeRedis.exists(key!)).toBe(0);
  });

  it("loads a script Redis does not have yet with EVAL, then runs it by EVALSHA", async () => {
    const counter = counted();
    // A script no one has run: its text is new to this Redis.
    const script = new RedisScript("probe", `return ARGV[1] -- ${randomBytes(8).toString("hex")}`);
    const send = (args: string[]) => counter.client.sendCommand(args);
    expect(await script.run(send, [], ["one"])).toBe("one");
    expect(counter.commands).toEqual(["EVALSHA", "EVAL"]);
    expect(await script.run(send, [], ["two"])).toBe("two");
    expect(counter.commands).toEqual(["EVALSHA", "EVAL", "EVALSHA"]);
  });
});

describe("RedisStore over RESP 3", () => {
  it.each([
    ["as an object", resp3],
    ["as a Map", resp3.withTypeMapping({ [RESP_TYPES.MAP]: Map })],
  ])("reads HGETALL's map reply %s", async (_label, client) => {
    const app = counterApp(new RedisStore({ client, secrets: SECRET, prefix: prefix() }));
    const b = new TestBrowser((request) => app.fetch(request));
    expect(await b.json("/incr", { method: "POST" })).toBe(1);
    expect(await b.json("/incr", { method: "POST" })).toBe(2);
    expect(await b.json("/read")).toBe(2);
  });
});

describe("Redis hash replies", () => {
  const expiresAt = Date.now() + 60_000;
  // Flashes of one key come back in any order; their ids sort in the order they were added.
  const fields: [string, string][] = [
    ["m:c", "=1000"],
    ["d:count", "=2"],
    ["f:c:note", '="third"'],
    ["f:a:note", '="first"'],
    ["f:b:note", '="second"'],
  ];
  const session = {
    id: "id",
    data: new Map<string, unknown>([
      ["count", 2],
      ["note", ["first", "second", "third"]],
    ]),
    createdAt: 1000,
    expiresAt,
    flashIds: new Map([["note", ["a", "b", "c"]]]),
  };

  it.each([
    ["a flat array (RESP 2)", fields.flat()],
    ["an object", Object.fromEntries(fields)],
    ["a Map", new Map(fields)],
  ])("reads %s, flashes in the order of their ids", (_label, reply) => {
    expect(parseHash("id", reply, expiresAt)).toEqual(session);
  });

  it("skips fields it did not write: no `=`, an unknown kind, a flash without its id, a value that is not JSON", () => {
    const reply = [
      ...["m:c", "=1000", "d:ok", "=1"],
      ...["d:bare", "x12", "zz:other", "=1", "f:nokey", "=1", "d:bad", "=not json"],
    ];
    expect(parseHash("id", reply, expiresAt)).toEqual({ id: "id", data: new Map([["ok", 1]]), createdAt: 1000, expiresAt, flashIds: new Map() });
  });

  it.each([
    ["an empty hash", []],
    ["no creation time", ["d:count", "=2"]],
    ["a creation time that is not a number", ["m:c", "=soon", "d:count", "=2"]],
    ["a creation time without its `=`", ["m:c", "1000", "d:count", "=2"]],
    ["null", null],
    ["a string", "m:c"],
    ["a function", Object.assign(() => {}, { "m:c": "=1000" })],
  ])("is no session for %s", (_label, reply) => {
    expect(parseHash("id", reply, expiresAt)).toBeUndefined();
  });
});

describe("RedisStore and UpstashRedisStore share sessions through one Redis", () => {
  it("a session written over HTTP is read, changed and destroyed over TCP, and back", async () => {
    const shared = { secrets: SECRET, prefix: prefix(), owner: "userId" };
    const http = new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, ...shared });
    const tcp = new RedisStore({ client: ioredis, ...shared });
    const overHttp = counterApp(http);
    const overTcp = counterApp(tcp);
    const b = new TestBrowser((request) => overHttp.fetch(request));
    expect(await b.json("/incr", { method: "POST" })).toBe(1);
    const cookie = b.cookieHeader();
    expect(await (await overTcp.request("/read", { headers: { Cookie: cookie } })).json()).toBe(1);
    expect(await (await overTcp.request("/incr", { method: "POST", headers: { Cookie: cookie } })).json()).toBe(2);
    expect(await b.json("/read")).toBe(2);

    // The owner index too: a session signed in over TCP is listed and destroyed over HTTP.
    const login = new Hono();
    login.use(sessions("session", tcp));
    login.post("/", async (c) => {
      getSession(c).set("userId", "ada");
      await getSession(c).save();
      return c.json(getSession(c).id);
    });
    const tcpBrowser = new TestBrowser((request) => login.fetch(request));
    const id = await tcpBrowser.json("/", { method: "POST" });
    expect((await http.list("ada")).map((info) => info.id)).toEqual([id]);
    expect(await http.destroyAll("ada")).toBe(1);
    expect(await tcp.list("ada")).toEqual([]);

    await (await overTcp.request("/logout", { method: "POST", headers: { Cookie: cookie } })).text();
    expect(await b.json("/read")).toBeNull();
  });
});

/** A save that sets one key, as the jar would hand it to the store. */
function write(id: string): SessionWrite {
  return dataWrite(id, undefined, { expiresAt: Date.now() + 60_000 });
}

async function storeError(promise: Promise<unknown>): Promise<SessionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SessionError);
  expect((error as SessionError).code).toBe("ERR_SESSION_STORE");
  const cause = (error as SessionError).cause as Error;
  expect(`${(error as Error).message}\n${cause?.message}\n${cause?.stack}\n${JSON.stringify(cause)}`).not.toContain("s3cr3t-value");
  return error as SessionError;
}

describe("RedisStore keys", () => {
  it("keeps an owner's index as a sorted set scored by the expiry each add announced, and the expiry in the hash", async () => {
    const keys = prefix();
    const store = new RedisStore({ client: nodeRedis, secrets: SECRET, prefix: keys, owner: "userId", cookie: { maxAge: 60 } });
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/", async (c) => {
      getSession(c).set("userId", "ada");
      await getSession(c).save();
      return c.json(getSession(c).id);
    });
    const id = await new TestBrowser((request) => app.fetch(request)).json("/", { method: "POST" });
    const index = `${keys}owner:ada`;
    expect(await ioredis.type(index)).toBe("zset");
    expect(await ioredis.zrange(index, "0", "-1")).toEqual([id]);
    const score = Number(await ioredis.zscore(index, id));
    expect(score - Date.now()).toBeGreaterThan(55_000);
    expect(score - Date.now()).toBeLessThanOrEqual(60_000);
    expect(await ioredis.hget(`${keys}${id}`, "m:o")).toBe("=ada");
    expect(await ioredis.hget(`${keys}${id}`, "m:e")).toBe(`=${score}`);
    // No TTL: a rolling session outlives the expiry its add announced, and the index must keep it.
    expect(await ioredis.pttl(index)).toBe(-1);
  });
});

describe("RedisStore commands", () => {
  it("runs through a client shaped like Bun's RedisClient (send(command, args))", async () => {
    const bunLike = { send: (command: string, args: string[]) => ioredis.call(command, ...args) };
    const app = counterApp(new RedisStore({ client: bunLike, secrets: SECRET, prefix: prefix() }));
    const b = new TestBrowser((request) => app.fetch(request));
    expect(await b.json("/incr", { method: "POST" })).toBe(1);
    expect(await b.json("/incr", { method: "POST" })).toBe(2);
  });

  it("names one key per command, so each goes to that key's slot on a Redis Cluster; regenerate() ends the old id after writing the new", async () => {
    const sent: string[][] = [];
    const client = { sendCommand: (args: string[]) => (sent.push(args), nodeRedis.sendCommand(args)) };
    const keys = prefix();
    const store = new RedisStore({ client, secrets: SECRET, prefix: keys, owner: "userId" });
    const first = write(randomBytes(16).toString("base64url"));
    await store.save("session", first);
    expect(sent.map((args) => args.slice(0, 4))).toEqual([["EVALSHA", expect.any(String), "1", keys + first.id]]);
    sent.length = 0;
    const next = { ...write(randomBytes(16).toString("base64url")), previousId: first.id, data: new Map([["userId", "ada"]]) };
    await store.save("session", next);
    expect(sent.map((args) => (args[0] === "EVALSHA" ? args.slice(2, 4) : args.slice(0, 2)))).toEqual([
      ["ZADD", keys + "owner:ada"],
      ["1", keys + next.id],
      ["1", keys + first.id],
    ]);
    expect(await ioredis.exists(keys + first.id)).toBe(0);
    expect(await store.list("ada")).toEqual([expect.objectContaining({ id: next.id })]);
  });

  it("asks one session per script on a cluster client, a batch per script on one Redis; routes node-redis cluster commands by their key", async () => {
    const keys = prefix();
    const scripts: Array<{ script: string; keys: string[] }> = [];
    const routed: Array<[string | undefined, string[]]> = [];
    const record = (args: string[]) => {
      if (args[0] === "EVALSHA") scripts.push({ script: args[1]!, keys: args.slice(3, 3 + Number(args[2])) });
    };
    const clusterShaped = { isCluster: true, call: (name: string, ...args: string[]) => (record([name, ...args]), ioredis.call(name, ...args)) };
    const nodeClusterShaped = {
      getSlotMaster: () => undefined,
      sendCommand: (key: string | undefined, _readonly: boolean | undefined, args: string[]) => (record(args), routed.push([key, args]), nodeRedis.sendCommand(args)),
    };
    const singleShaped = { call: (name: string, ...args: string[]) => (record([name, ...args]), ioredis.call(name, ...args)) };
    const seeding = new RedisStore({ client: ioredis, secrets: SECRET, prefix: keys, owner: "userId" });
    const ids = Array.from({ length: 5 }, () => randomBytes(16).toString("base64url"));
    for (const id of ids) await seeding.save("session", { ...write(id), data: new Map([["userId", "ada"]]), changed: new Set(["userId"]) });
    const info = await INFO_SCRIPT.sha();
    const end = await END_SCRIPT.sha();
    const sessionScripts = () => scripts.filter(({ script }) => script === info || script === end).map(({ keys: named }) => named.length);

    for (const client of [clusterShaped, nodeClusterShaped]) {
      scripts.length = 0;
      expect(await new RedisStore({ client, secrets: SECRET, prefix: keys, owner: "userId" }).list("ada")).toHaveLength(5);
      expect(sessionScripts()).toEqual([1, 1, 1, 1, 1]);
    }
    // Every command went with the one key it touches, the key a cluster client routes by.
    for (const [key, args] of routed) expect(key).toBe(args[0] === "EVALSHA" ? args[3] : args[1]);
    expect(routed.length).toBeGreaterThan(5);
    scripts.length = 0;
    expect(await new RedisStore({ client: singleShaped, secrets: SECRET, prefix: keys, owner: "userId" }).destroyAll("ada", { except: ids[0] })).toBe(4);
    expect(sessionScripts()).toEqual([4]);
    scripts.length = 0;
    expect(await new RedisStore({ client: clusterShaped, secrets: SECRET, prefix: keys, owner: "userId" }).destroyAll("ada")).toBe(1);
    expect(sessionScripts()).toEqual([1]);
  });

  it("removes a session from its owner's index when the owner key is deleted, indexing it under no one", async () => {
    const keys = prefix();
    const store = new RedisStore({ client: ioredis, secrets: SECRET, prefix: keys, owner: "userId" });
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/login", async (c) => (getSession(c).set("userId", "ada"), await getSession(c).save(), c.text("ok")));
    app.post("/forget", async (c) => (getSession(c).delete("userId"), await getSession(c).save(), c.text("ok")));
    app.get("/me", (c) => c.json({ isNew: getSession(c).isNew }));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/login", { method: "POST" });
    expect(await store.list("ada")).toHaveLength(1);
    await b.fetch("/forget", { method: "POST" });
    expect(await store.list("ada")).toEqual([]);
    // The id stays in the index until the expiry its add announced has passed: until then it could
    // be a save in flight (see owner-index.ts). Listing and destroyAll() ask the hash, which says no.
    expect(await ioredis.zcard(`${keys}owner:ada`)).toBe(1);
    expect(await store.destroyAll("ada")).toBe(0);
    expect(await b.json("/me")).toMatchObject({ isNew: false });
  });

  it("rejects with ERR_SESSION_STORE when a page of an owner's index is not one (never loops on it)", async () => {
    for (const reply of [["=a", "=1", "=2"], "OK", [], ["=1x"], ["x=0"]]) {
      const store = new RedisStore({ client: { sendCommand: async () => reply }, secrets: SECRET, owner: "userId" });
      await expect(store.list("ada")).rejects.toMatchObject({ code: "ERR_SESSION_STORE" });
      await expect(store.destroyAll("ada")).rejects.toMatchObject({ code: "ERR_SESSION_STORE" });
    }
  });

  it("lists a session only while its recorded expiry is after now; ignores an id without a score", async () => {
    const [page, info] = [await INDEX_PAGE_SCRIPT.sha(), await INFO_SCRIPT.sha()];
    const listWith = async (expiresAt: number) => {
      const replies: Record<string, unknown> = { [page]: ["=0", "=a", "=5", "=b"], [info]: [`=1,=${expiresAt}`] };
      const store = new RedisStore({ client: { sendCommand: async (args: string[]) => replies[args[1]!] ?? 0 }, secrets: SECRET, owner: "userId" });
      return store.list("ada");
    };
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(10_000);
      expect(await listWith(10_000)).toEqual([]);
      expect(await listWith(10_001)).toEqual([{ id: "a", createdAt: 1, expiresAt: 10_001, lastSeenAt: 1 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves no timer behind once a command has answered", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      // An empty index: one page, cursor 0.
      const store = new RedisStore({ client: { sendCommand: async () => ["=0"] }, secrets: SECRET, owner: "userId" });
      expect(await store.destroyAll("ada")).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps a client's error as a cause with only its name and message; a rejection that is not an Error becomes one", async () => {
    const failing = (error: unknown) => new RedisStore({ client: { sendCommand: () => Promise.reject(error) }, secrets: SECRET });
    const reply = Object.assign(new Error("WRONGTYPE Operation against a key"), { name: "ReplyError", command: { args: ["s3cr3t-value"] } });
    const cause = (await storeError(failing(reply).save("session", write("x")))).cause as Error;
    expect(cause).not.toBe(reply);
    expect(cause).toBeInstanceOf(Error);
    expect({ name: cause.name, message: cause.message }).toEqual({ name: "ReplyError", message: "WRONGTYPE Operation against a key" });
    expect(cause).not.toHaveProperty("command");
    const wrapped = (await storeError(failing("connection lost").save("session", write("x")))).cause as Error;
    expect(wrapped).toBeInstanceOf(Error);
    expect(wrapped.message).toBe("connection lost");
  });

  it("passes on a rejection that is not an Error from EVALSHA, without trying EVAL", async () => {
    const sent: string[] = [];
    const script = new RedisScript("probe", "return 1");
    const send = (args: string[]) => (sent.push(args[0]!), Promise.reject(null));
    await expect(script.run(send, [], [])).rejects.toBeNull();
    expect(sent).toEqual(["EVALSHA"]);
  });
});

describe("RedisStore faults", () => {
  let cookieValue = "";
  beforeAll(async () => {
    // A valid cookie of a session that lives in the test Redis, to load through broken clients.
    const store = new RedisStore({ client: nodeRedis, secrets: SECRET, prefix: "test:tcp:faults:" });
    cookieValue = (await store.save("session", write(randomBytes(16).toString("base64url"))))!;
  });

  async function expectBothFail(store: RedisStore): Promise<SessionError> {
    await storeError(store.load("session", cookieValue));
    return storeError(store.save("session", write(randomBytes(16).toString("base64url"))));
  }

  it("rejects with ERR_SESSION_STORE when the connection is refused (node-redis and ioredis)", async () => {
    const port = await freePort();
    const closed = createClient({ url: `redis://127.0.0.1:${port}` }); // never connected
    await expectBothFail(new RedisStore({ client: closed, secrets: SECRET, prefix: "test:tcp:faults:" }));
    const refused = new IoRedis(port, "127.0.0.1", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await expectBothFail(new RedisStore({ client: refused, secrets: SECRET, prefix: "test:tcp:faults:" }));
    refused.disconnect();
  });

  it("rejects with ERR_SESSION_STORE when Redis does not answer within the timeout", async () => {
    // A server that accepts connections and never answers.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, "127.0.0.1", resolve));
    const client = new IoRedis(port, "127.0.0.1", { enableReadyCheck: false, maxRetriesPerRequest: 0 });
    try {
      const started = Date.now();
      const error = await expectBothFail(new RedisStore({ client, secrets: SECRET, prefix: "test:tcp:faults:", timeout: 200 }));
      expect(error.message).toMatch(/within 200 ms/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      client.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("rejects with ERR_SESSION_STORE on a Redis error, without the command's data in the cause", async () => {
    const store = new RedisStore({ client: ioredis, secrets: SECRET, prefix: prefix() });
    const id = randomBytes(16).toString("base64url");
    const value = (await store.save("session", write(id)))!;
    const [key] = await ioredis.keys(`*${id}`);
    await ioredis.set(key!, "not a hash", "PX", 60_000);
    await storeError(store.load("session", value));
    const error = await storeError(store.save("session", write(id)));
    expect((error.cause as Error).message).toMatch(/WRONGTYPE/);
  });
});

describe("RedisStore configuration", () => {
  it.each([
    ["no client", { secrets: SECRET }],
    ["a client that is not one", { client: {}, secrets: SECRET }],
    ["a short secret", { client: nodeRedis, secrets: "short" }],
    ["a timeout of 0", { client: nodeRedis, secrets: SECRET, timeout: 0 }],
    ["an empty owner key", { client: nodeRedis, secrets: SECRET, owner: "" }],
    ["a prefix that is not a string", { client: nodeRedis, secrets: SECRET, prefix: 5 }],
  ])("throws ERR_SESSION_CONFIG for %s", (_label, options) => {
    expect(() => new RedisStore(options as unknown as RedisStoreOptions)).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
  });
});
