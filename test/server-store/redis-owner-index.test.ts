/**
 * The owner index of the Redis driver on one real Redis: what each operation leaves in the index,
 * how list() reads and prunes it, pages past one ZSCAN, destroyAll()'s second pass, and the
 * replies of the session scripts. The same code runs on a Redis Cluster in
 * test/stores/redis-cluster.test.ts.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { Redis as IoRedis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { END_SCRIPT, parseEnded, parseInfo } from "../../src/server-store/redis/session-scripts.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { ensureRedis } from "../support/redis.ts";
import { ownerWrite } from "../support/session-write.ts";

const redis = new IoRedis((await ensureRedis()).url);
afterAll(() => redis.disconnect());
const endSha = await END_SCRIPT.sha();

const newId = () => randomBytes(16).toString("base64url");

function setup() {
  const keys = `test:index:${randomBytes(6).toString("hex")}:`;
  const store = new RedisStore({ client: redis, secrets: SECRET, prefix: keys, owner: "userId" });
  return { keys, store, index: `${keys}owner:ada` };
}


describe("session script replies", () => {
  it("reads the end script's answers, one per key", () => {
    expect(parseEnded(["gone", "other", "=", "=ada"], 4)).toEqual([
      { state: "gone" },
      { state: "other" },
      { state: "ended", owner: undefined },
      { state: "ended", owner: "ada" },
    ]);
    for (const [reply, count] of [[["ada"], 1], [["gone"], 2], ["gone", 1], [null, 0]] as const) {
      expect(() => parseEnded(reply, count)).toThrow(/unexpected reply/);
    }
  });

  it("reads the info script's answers: times of a live session of the owner, or nothing", () => {
    expect(parseInfo(["=1,=2", "=1,", "gone", "other", "x=1,=2", "=1,=2x", "=1,2", "=1", "=1,=2,=3", "=1,,", "=1,=2,3", "=1,=2,=3,"], 12)).toEqual([
      { createdAt: 1, expiresAt: 2, lastSeenAt: undefined, values: [] },
      { createdAt: 1, expiresAt: undefined, lastSeenAt: undefined, values: [] },
      ...Array(6).fill(undefined),
      { createdAt: 1, expiresAt: 2, lastSeenAt: 3, values: [] },
      { createdAt: 1, expiresAt: undefined, lastSeenAt: undefined, values: [] },
      undefined,
      undefined,
    ]);
    expect(() => parseInfo(["=1,=2"], 2)).toThrow(/unexpected reply/);
    expect(() => parseInfo({ 0: "=1,=2", length: 1 }, 1)).toThrow(/unexpected reply/);
  });

  it("reads the listed values that follow each session's times: stored ones start with =, '-' is none", () => {
    expect(parseInfo(["=1,=2,=3", '="a"', "-", "gone", "-", "-"], 2, 2)).toEqual([
      { createdAt: 1, expiresAt: 2, lastSeenAt: 3, values: ['="a"', undefined] },
      undefined,
    ]);
    expect(() => parseInfo(["=1,=2,=3", '="a"'], 1, 2)).toThrow(/unexpected reply/);
  });
});

describe("RedisStore owner index", () => {
  it("drops an id from its owner's index when destroy() or regenerate() ends it, or a late save finds it gone", async () => {
    const { store, index } = setup();
    const [a, b, c] = [newId(), newId(), newId()];
    for (const id of [a, b]) await store.save("session", ownerWrite(id, "ada"));
    expect((await redis.zrange(index, "0", "-1")).sort()).toEqual([a, b].sort());
    await store.destroy("session", a);
    expect(await redis.zrange(index, "0", "-1")).toEqual([b]);
    expect(await store.save("session", ownerWrite(c, "ada", { previousId: b }))).toBeDefined();
    expect(await redis.zrange(index, "0", "-1")).toEqual([c]);
    await store.destroy("session", c);
    // A late save of the destroyed session that names its owner again: refused, and not indexed.
    expect(await store.save("session", ownerWrite(c, "ada", { mustExist: true }))).toBeUndefined();
    expect(await redis.exists(index)).toBe(0);
  });

  it("lists each id as its own hash says, prunes stale ids only once their score has passed", async () => {
    const { keys, store, index } = setup();
    const now = Date.now();
    const [rolled, old, gone, waiting, moved] = [newId(), newId(), newId(), newId(), newId()];
    for (const id of [rolled, old, moved]) await store.save("session", ownerWrite(id, "ada"));
    // A session refreshed after its index entry was written: its score is in the past, its hash is not.
    await redis.zadd(index, String(now - 1000), rolled);
    // A hash written before the `m:e` field: its expiry is the index's score.
    await redis.hdel(keys + old, "m:e");
    await redis.zadd(index, String(now + 90_000), old);
    // No hash: one whose announced expiry passed, one a save in flight may still write.
    await redis.zadd(index, String(now - 1000), gone, String(now + 60_000), waiting);
    // Another owner's now, with a score in the past.
    await redis.hset(keys + moved, "m:o", "=grace");
    await redis.zadd(index, String(now - 1000), moved);
    const listed = await store.list("ada");
    const expiresAt = Number((await redis.hget(keys + rolled, "m:e"))!.slice(1));
    expect(listed.sort((x, y) => x.expiresAt - y.expiresAt)).toEqual([
      { id: old, createdAt: expect.any(Number), expiresAt: now + 90_000, lastSeenAt: expect.any(Number) },
      { id: rolled, createdAt: expect.any(Number), expiresAt, lastSeenAt: expect.any(Number) },
    ]);
    expect((await redis.zrange(index, "0", "-1")).sort()).toEqual([rolled, old, waiting].sort());
  });

  it("never lists a hash whose recorded expiry has passed", async () => {
    const { keys, store } = setup();
    const id = newId();
    await store.save("session", ownerWrite(id, "ada"));
    await redis.hset(keys + id, "m:e", `=${Date.now() - 1}`);
    expect(await store.list("ada")).toEqual([]);
  });

  it("destroyAll() drops the ids it ended and the stale ones whose score has passed, in one prune", async () => {
    const { store, index } = setup();
    const [live, gone] = [newId(), newId()];
    await store.save("session", ownerWrite(live, "ada"));
    await redis.zadd(index, String(Date.now() - 1000), gone);
    expect(await store.destroyAll("ada")).toBe(1);
    expect(await redis.exists(index)).toBe(0);
  });

  it("reads an index over many ZSCAN pages: 1,200 sessions listed, then all but one signed out", { timeout: 60_000 }, async () => {
    const { store, index } = setup();
    const ids = Array.from({ length: 1200 }, newId);
    await Promise.all(ids.map((id) => store.save("session", ownerWrite(id, "ada"))));
    expect((await store.list("ada")).map(({ id }) => id).sort()).toEqual([...ids].sort());
    expect(await store.destroyAll("ada", { except: ids[0] })).toBe(1199);
    expect(await redis.zrange(index, "0", "-1")).toEqual([ids[0]]);
    expect(await store.destroyAll("ada")).toBe(1);
    expect(await redis.exists(index)).toBe(0);
  });

  it("destroyAll() reads the index again: a regenerate that completes while it runs is ended too", async () => {
    const { keys, store } = setup();
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/login", async (c) => {
      getSession(c).set("userId", "ada");
      await getSession(c).regenerate();
      await getSession(c).save();
      return c.json(getSession(c).id);
    });
    app.get("/me", (c) => c.json(getSession(c).get("userId") ?? null));
    const browser = new TestBrowser((request) => app.fetch(request));
    const before = await browser.json("/login", { method: "POST" });
    // destroyAll()'s end script for the first session, held until the regenerate has completed.
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<void>((resolve) => (reached = resolve));
    const client = {
      call: async (name: string, ...args: string[]) => {
        if (name === "EVALSHA" && args[0] === endSha && args.includes(keys + before) && args.at(-1) === "ada") {
          reached();
          await gate;
        }
        return redis.call(name, ...args);
      },
    };
    const destroying = new RedisStore({ client, secrets: SECRET, prefix: keys, owner: "userId" }).destroyAll("ada");
    await held;
    expect(await browser.json("/login", { method: "POST" })).not.toBe(before);
    release();
    expect(await destroying).toBe(1);
    expect(await browser.json("/me")).toBeNull();
    expect(await store.list("ada")).toEqual([]);
  });
});
