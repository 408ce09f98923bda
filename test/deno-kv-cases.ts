/**
 * DenoKvStore's own cases, beyond the conformance suite: 40 writers on one session, the KV
 * operations a request costs, the 64 KiB value limit, an entry kept past its expiry, and faults.
 * Framework-free like the suite: vitest (test/stores/deno-kv.test.ts) runs them on @deno/kv's
 * in-memory database, `deno test` on Deno.openKv(":memory:"), `bun test` on @deno/kv again.
 */
import { Hono } from "hono";
import { getSession, sessions } from "../adapters/hono.ts";
import { SessionError } from "../src/errors.ts";
import { MAX_ATTEMPTS } from "../src/server-store/deno-kv/driver.ts";
import { MAX_OWNER_BYTES, MAX_VALUE_BYTES } from "../src/server-store/deno-kv/entry.ts";
import { DenoKvStore } from "../src/stores/deno-kv.ts";
import type { DenoKv, DenoKvAtomic, DenoKvKey } from "../src/stores/deno-kv.ts";
import { assert, manualClock } from "./support/assert.ts";
import { SECRET, TestBrowser } from "./support/browser.ts";
import { DENO_KV_MAX_AGE } from "./runtimes/subjects.ts";

type It = (name: string, body: () => Promise<void>) => void;
/** A database as the runtime opens it (both kinds can be closed). */
export type OpenDenoKv = () => Promise<DenoKv & { close(): void }>;

interface Counts {
  get: number;
  getMany: number;
  list: number;
  commit: number;
  conflicts: number;
}

/**
 * The database as the store sees it, with each call counted; `beforeCommit` runs before every
 * commit (a second writer, for the retry bound). Every call goes to the real database.
 */
export function observed(kv: DenoKv, beforeCommit: () => Promise<void> = async () => {}): { kv: DenoKv; counts: Counts } {
  const counts: Counts = { get: 0, getMany: 0, list: 0, commit: 0, conflicts: 0 };
  const wrap = (operation: DenoKvAtomic): DenoKvAtomic => ({
    check: (...checks) => wrap(operation.check(...checks)),
    set: (key, value, options) => wrap(operation.set(key, value, options)),
    delete: (key) => wrap(operation.delete(key)),
    async commit() {
      await beforeCommit();
      counts.commit++;
      const result = await operation.commit();
      if (!result.ok) counts.conflicts++;
      return result;
    },
  });
  return {
    counts,
    kv: {
      get: (key) => (counts.get++, kv.get(key)),
      getMany: (keys) => (counts.getMany++, kv.getMany(keys)),
      list: (selector) => (counts.list++, kv.list(selector)),
      atomic: () => wrap(kv.atomic()),
    },
  };
}

function app(store: DenoKvStore): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/set/:key/:value", async (c) => {
    getSession(c).set(c.req.param("key"), c.req.param("value"));
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  app.post("/destroy", async (c) => {
    await getSession(c).destroy();
    return c.json({});
  });
  app.get("/get/:key", (c) => c.json({ value: getSession(c).get(c.req.param("key")) ?? null, isNew: getSession(c).isNew }));
  app.onError((error, c) => c.json({ code: error instanceof SessionError ? error.code : String(error) }, 503));
  return app;
}

const store = (kv: DenoKv, prefix: DenoKvKey = ["test", crypto.randomUUID()], owner?: string) =>
  new DenoKvStore({ kv, secrets: SECRET, prefix, owner, cookie: { maxAge: DENO_KV_MAX_AGE } });

async function keysUnder(kv: DenoKv, prefix: DenoKvKey): Promise<unknown[][]> {
  const keys: unknown[][] = [];
  for await (const { key } of kv.list({ prefix })) keys.push([...key].slice(prefix.length));
  return keys;
}

export function denoKvCases(it: It, open: OpenDenoKv): void {
  it("keeps all 40 keys set by 40 concurrent requests on one session, retrying commits that lost a race", async () => {
    const kv = await open();
    try {
      const { kv: counted, counts } = observed(kv);
      const sessionStore = store(counted);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let loaded = 0;
      const writers = new Hono();
      writers.use(sessions("session", sessionStore));
      writers.post("/set/:key", async (c) => {
        getSession(c).set(c.req.param("key"), true);
        loaded++;
        // All 40 have loaded before any saves: their commits overlap for certain.
        await gate;
        await getSession(c).save();
        return c.text("ok");
      });
      const b = new TestBrowser((request) => app(sessionStore).fetch(request));
      await b.json("/set/start/1", { method: "POST" });
      const cookie = b.cookieHeader();
      const requests = Array.from({ length: 40 }, (_, i) => writers.request(`/set/k${i}`, { method: "POST", headers: { Cookie: cookie } }));
      while (loaded < 40) await new Promise((resolve) => setTimeout(resolve, 1));
      release();
      const statuses = await Promise.all(requests.map(async (response) => (await response).status));
      assert.deepEqual(statuses, Array(40).fill(200));
      const stored = await sessionStore.load("session", b.cookies.get("session")!);
      assert.deepEqual([...stored!.data.keys()].sort(), ["start", ...Array.from({ length: 40 }, (_, i) => `k${i}`)].sort());
      assert.ok(counts.conflicts > 0, "no commit lost a race: the retry was not exercised");
    } finally {
      kv.close();
    }
  });

  it("costs one read to load and one commit to save or destroy, and keeps a session in one entry beside its owner-index entry", async () => {
    const kv = await open();
    try {
      const { kv: counted, counts } = observed(kv);
      const prefix = ["test", crypto.randomUUID()];
      const b = new TestBrowser((request) => app(store(counted, prefix, "user")).fetch(request));
      const snapshot = () => ({ ...counts });
      await b.json("/set/user/ada", { method: "POST" });
      assert.deepEqual(snapshot(), { get: 0, getMany: 0, list: 0, commit: 1, conflicts: 0 });
      await b.json("/get/user");
      assert.deepEqual(snapshot(), { get: 1, getMany: 0, list: 0, commit: 1, conflicts: 0 });
      // The save's commit is checked against the versionstamp its request loaded: no second read.
      await b.json("/set/k/v", { method: "POST" });
      assert.deepEqual(snapshot(), { get: 2, getMany: 0, list: 0, commit: 2, conflicts: 0 });
      // One entry for the session and one for the owner index, written by the same commits.
      const id = (await store(kv, prefix, "user").load("session", b.cookies.get("session")!))!.id;
      assert.deepEqual(await keysUnder(kv, prefix), [["id", id], ["owner", "ada", id]]);
      await b.json("/destroy", { method: "POST" });
      assert.deepEqual(snapshot(), { get: 3, getMany: 0, list: 0, commit: 3, conflicts: 0 });
      assert.deepEqual(await keysUnder(kv, prefix), []);
    } finally {
      kv.close();
    }
  });

  it("reads afresh when another instance wrote since the request loaded, keeping both changes", async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const { kv: counted, counts } = observed(kv);
      const first = store(counted, prefix);
      const b = new TestBrowser((request) => app(first).fetch(request));
      await b.json("/set/a/1", { method: "POST" });
      // The first instance loads (and remembers the versionstamp); a second one saves meanwhile.
      let proceed!: () => void;
      const gate = new Promise<void>((resolve) => (proceed = resolve));
      const held = new Hono();
      held.use(sessions("session", first));
      held.post("/", async (c) => {
        getSession(c).set("a", "2");
        await gate;
        await getSession(c).save();
        return c.json({});
      });
      const pending = held.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await app(store(kv, prefix)).request("/set/b/1", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      const before = { ...counts };
      proceed();
      assert.equal((await pending).status, 200);
      assert.deepEqual({ getMany: counts.getMany - before.getMany, commit: counts.commit - before.commit, conflicts: counts.conflicts - before.conflicts }, { getMany: 1, commit: 2, conflicts: 1 });
      assert.deepEqual([(await b.json("/get/a")).value, (await b.json("/get/b")).value], ["2", "1"]);
    } finally {
      kv.close();
    }
  });

  it("does not take a session for gone because what the request loaded has expired since: another instance refreshed it", async () => {
    const kv = await open();
    const clock = manualClock();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const first = new DenoKvStore({ kv, secrets: SECRET, prefix, cookie: { maxAge: 60 } });
      const b = new TestBrowser((request) => app(first).fetch(request));
      await b.json("/set/a/1", { method: "POST" });
      let proceed!: () => void;
      const gate = new Promise<void>((resolve) => (proceed = resolve));
      const held = new Hono();
      held.use(sessions("session", first));
      held.post("/", async (c) => {
        getSession(c).set("a", "2");
        await gate;
        await getSession(c).save();
        return c.json({ isNew: getSession(c).isNew });
      });
      const pending = held.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // 50 s on, a rolling request on a second instance pushes the expiry out; 20 s later the
      // held request saves: what it loaded says expired, the database says live.
      clock.advance(50_000);
      const rolling = new Hono();
      rolling.use(sessions("session", new DenoKvStore({ kv, secrets: SECRET, prefix }), { rolling: true, cookie: { maxAge: 60 } }));
      rolling.get("/", (c) => c.json({ isNew: getSession(c).isNew }));
      const refresh = new TestBrowser((request) => rolling.fetch(request));
      for (const [name, value] of b.cookies) refresh.cookies.set(name, value);
      assert.deepEqual(await refresh.json("/"), { isNew: false });
      clock.advance(20_000);
      proceed();
      const response = await pending;
      assert.deepEqual(await response.json(), { isNew: false });
      assert.ok(response.headers.get("Set-Cookie")?.startsWith("session="), "the held save set no cookie");
    } finally {
      clock.restore();
      kv.close();
    }
  });

  it(`stores a session of exactly ${MAX_VALUE_BYTES} bytes; one byte more, or an owner over ${MAX_OWNER_BYTES} bytes, rejects with ERR_SESSION_DATA and writes nothing`, async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const b = new TestBrowser((request) => app(store(kv, prefix)).fetch(request));
      await b.json("/set/pad/x", { method: "POST" });
      const key = [...prefix, "id", ...(await keysUnder(kv, [...prefix, "id"]))[0]!] as DenoKvKey;
      const overhead = ((await kv.get(key)).value as Uint8Array).byteLength - 1;
      const fits = "x".repeat(MAX_VALUE_BYTES - overhead);
      // Through Session.set directly: a URL path this long would be refused before the app.
      const sizing = new Hono();
      sizing.use(sessions("session", store(kv, prefix)));
      sizing.post("/pad/:n", async (c) => {
        getSession(c).set("pad", fits + "y".repeat(Number(c.req.param("n"))));
        await getSession(c).save();
        return c.json({});
      });
      sizing.onError((error, c) => c.json({ code: (error as SessionError).code }, 503));
      const fitting = await sizing.request("/pad/0", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      assert.equal(fitting.status, 200);
      assert.equal(((await kv.get(key)).value as Uint8Array).byteLength, MAX_VALUE_BYTES);
      const tooLarge = await sizing.request("/pad/1", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      assert.deepEqual({ status: tooLarge.status, body: await tooLarge.json() }, { status: 503, body: { code: "ERR_SESSION_DATA" } });
      assert.equal(tooLarge.headers.get("Set-Cookie"), null);
      assert.equal(((await kv.get(key)).value as Uint8Array).byteLength, MAX_VALUE_BYTES);
      // An owner value becomes part of a key, and Deno KV keys are shorter still.
      const owned = app(store(kv, prefix, "user"));
      const longOwner = await owned.request(`/set/user/${"o".repeat(MAX_OWNER_BYTES + 1)}`, { method: "POST" });
      assert.deepEqual(await longOwner.json(), { code: "ERR_SESSION_DATA" });
      assert.equal((await owned.request(`/set/user/${"o".repeat(MAX_OWNER_BYTES)}`, { method: "POST" })).status, 200);
    } finally {
      kv.close();
    }
  });

  it("opens nothing from an entry Deno KV keeps past its expiry, and a late save does not revive it", async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const b = new TestBrowser((request) => app(store(kv, prefix)).fetch(request));
      await b.json("/set/k/v", { method: "POST" });
      const [[, id]] = (await keysUnder(kv, prefix)) as [[string, string]];
      const key = [...prefix, "id", id] as DenoKvKey;
      // What KV may hand back a while after expireIn: the entry, its stored expiry passed.
      const document = JSON.parse(new TextDecoder().decode((await kv.get(key)).value as Uint8Array));
      const stale = new TextEncoder().encode(JSON.stringify({ ...document, e: Date.now() - 1 }));
      await kv.atomic().set(key, stale).commit();
      assert.deepEqual(await b.json("/get/k"), { value: null, isNew: true });
      // A request that loaded the session before it expired saves now: nothing is written.
      const late = new Hono();
      late.use(sessions("session", store(kv, prefix)));
      let proceed!: () => void;
      const gate = new Promise<void>((resolve) => (proceed = resolve));
      late.post("/", async (c) => {
        getSession(c).set("k", "late");
        await gate;
        await getSession(c).save();
        return c.json({ isNew: getSession(c).isNew });
      });
      await kv.atomic().set(key, new TextEncoder().encode(JSON.stringify(document))).commit();
      const pending = late.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await kv.atomic().set(key, stale).commit();
      proceed();
      const response = await pending;
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("Set-Cookie"), null);
      // Compared as plain bytes: @deno/kv on SQLite hands back a Buffer.
      assert.deepEqual([...((await kv.get(key)).value as Uint8Array)], [...stale]);
    } finally {
      kv.close();
    }
  });

  it("rejects with ERR_SESSION_STORE on a closed database: load, save, destroy, list and destroyAll", async () => {
    const kv = await open();
    const sessionStore = store(kv, undefined, "user");
    const b = new TestBrowser((request) => app(sessionStore).fetch(request));
    await b.json("/set/user/ada", { method: "POST" });
    kv.close();
    for (const [path, method] of [["/get/k", "GET"], ["/set/k/v", "POST"], ["/destroy", "POST"]] as const) {
      const response = await b.fetch(path, { method });
      assert.deepEqual({ path, status: response.status, body: await response.json() }, { path, status: 503, body: { code: "ERR_SESSION_STORE" } });
    }
    const fresh = await app(sessionStore).request("/set/k/v", { method: "POST" });
    assert.deepEqual(await fresh.json(), { code: "ERR_SESSION_STORE" });
    for (const call of [() => sessionStore.list("ada"), () => sessionStore.destroyAll("ada")]) {
      await assert.rejects(call(), (error: unknown) => error instanceof SessionError && error.code === "ERR_SESSION_STORE");
    }
  });

  it(`rejects with ERR_SESSION_STORE when ${MAX_ATTEMPTS} commits in a row lose to another writer`, async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      let interfere = false;
      // Another writer touches every session just before each of the store's commits.
      const { kv: contested, counts } = observed(kv, async () => {
        if (!interfere) return;
        for await (const { key, value } of kv.list({ prefix: [...prefix, "id"] })) await kv.atomic().set(key as DenoKvKey, value).commit();
      });
      const b = new TestBrowser((request) => app(store(contested, prefix)).fetch(request));
      await b.json("/set/k/v1", { method: "POST" });
      interfere = true;
      const before = { ...counts };
      const response = await b.fetch("/set/k/v2", { method: "POST" });
      assert.deepEqual({ status: response.status, body: await response.json() }, { status: 503, body: { code: "ERR_SESSION_STORE" } });
      // One commit against the versionstamp the request loaded, then one per fresh read.
      assert.deepEqual(
        { reads: counts.getMany - before.getMany, commits: counts.commit - before.commit, conflicts: counts.conflicts - before.conflicts },
        { reads: MAX_ATTEMPTS, commits: MAX_ATTEMPTS + 1, conflicts: MAX_ATTEMPTS + 1 },
      );
      interfere = false;
      assert.deepEqual(await b.json("/get/k"), { value: "v1", isNew: false });
    } finally {
      kv.close();
    }
  });

  it("refuses a missing kv or a prefix that is not an array with ERR_SESSION_CONFIG", async () => {
    const kv = await open();
    try {
      for (const options of [{ kv: undefined }, { kv: {} }, { kv, prefix: "session" }]) {
        assert.throws(() => new DenoKvStore({ secrets: SECRET, ...options } as never), (error: unknown) => error instanceof SessionError && error.code === "ERR_SESSION_CONFIG");
      }
    } finally {
      kv.close();
    }
  });
}
