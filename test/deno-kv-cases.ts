/**
 * DenoKvStore's own cases, beyond the conformance suite: 40 writers on one session, the KV
 * operations a request costs, saves after another instance wrote; then (deno-kv-limits.ts) the
 * 64 KiB value limit, an entry kept past its expiry, and faults. Framework-free like the suite:
 * vitest runs them on @deno/kv's databases (test/stores/deno-kv.test.ts), `deno test` on
 * Deno.openKv(":memory:"), `bun test` on @deno/kv (test/runtimes/).
 */
import { Hono } from "hono";
import { getSession, sessions } from "../adapters/hono.ts";
import { DenoKvStore } from "../src/stores/deno-kv.ts";
import { denoKvLimitCases } from "./deno-kv-limits.ts";
import { assert, manualClock } from "./support/assert.ts";
import { SECRET, TestBrowser } from "./support/browser.ts";
import { keysUnder, kvApp, kvStore, observed } from "./support/deno-kv.ts";
import type { DenoKv } from "../src/stores/deno-kv.ts";
import type { It, OpenDenoKv } from "./support/deno-kv.ts";
import { DENO_KV_MAX_AGE } from "./runtimes/subjects.ts";
import { TOUCH_INTERVAL } from "../src/store.ts";

export function denoKvCases(it: It, open: OpenDenoKv): void {
  it("keeps all 40 keys set by 40 concurrent requests on one session, retrying commits that lost a race", async () => {
    const kv = await open();
    try {
      const { kv: counted, counts } = observed(kv);
      const sessionStore = kvStore(counted);
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
      const b = new TestBrowser((request) => kvApp(sessionStore).fetch(request));
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
      const b = new TestBrowser((request) => kvApp(kvStore(counted, prefix, "user")).fetch(request));
      const snapshot = () => ({ ...counts });
      await b.json("/set/user/ada", { method: "POST" });
      assert.deepEqual(snapshot(), { get: 0, getMany: 0, list: 0, commit: 1, conflicts: 0 });
      await b.json("/get/user");
      assert.deepEqual(snapshot(), { get: 1, getMany: 0, list: 0, commit: 1, conflicts: 0 });
      // The save's commit is checked against the versionstamp its request loaded: no second read.
      await b.json("/set/k/v", { method: "POST" });
      assert.deepEqual(snapshot(), { get: 2, getMany: 0, list: 0, commit: 2, conflicts: 0 });
      // One entry for the session and one for the owner index, written by the same commits.
      const id = (await kvStore(kv, prefix, "user").load("session", b.cookies.get("session")!))!.id;
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
      const first = kvStore(counted, prefix);
      const b = new TestBrowser((request) => kvApp(first).fetch(request));
      await b.json("/set/a/1", { method: "POST" });
      // The first instance loads (and remembers the versionstamp); a second one saves meanwhile.
      let proceed!: () => void;
      const gate = new Promise<void>((resolve) => (proceed = resolve));
      let reached!: () => void;
      const loaded = new Promise<void>((resolve) => (reached = resolve));
      const held = new Hono();
      held.use(sessions("session", first));
      held.post("/", async (c) => {
        getSession(c).set("a", "2");
        reached();
        await gate;
        await getSession(c).save();
        return c.json({});
      });
      const pending = held.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      await loaded; // the held request has loaded the session
      await kvApp(kvStore(kv, prefix)).request("/set/b/1", { method: "POST", headers: { Cookie: b.cookieHeader() } });
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
      const b = new TestBrowser((request) => kvApp(first).fetch(request));
      await b.json("/set/a/1", { method: "POST" });
      let proceed!: () => void;
      const gate = new Promise<void>((resolve) => (proceed = resolve));
      let reached!: () => void;
      const loaded = new Promise<void>((resolve) => (reached = resolve));
      const held = new Hono();
      held.use(sessions("session", first));
      held.post("/", async (c) => {
        getSession(c).set("a", "2");
        reached();
        await gate;
        await getSession(c).save();
        return c.json({ isNew: getSession(c).isNew });
      });
      const pending = held.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      await loaded; // the held request has loaded the session
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

  it("destroys an id with nothing stored with one read and no commit, and an entry it did not write like its own", async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const { kv: counted, counts } = observed(kv);
      const sessionStore = kvStore(counted, prefix);
      await sessionStore.destroy("session", "nothing-here");
      assert.deepEqual({ ...counts }, { get: 1, getMany: 0, list: 0, commit: 0, conflicts: 0 });
      await kv.atomic().set([...prefix, "id", "foreign"], "not a session").commit();
      await sessionStore.destroy("session", "foreign");
      assert.deepEqual(await keysUnder(kv, prefix), []);
    } finally {
      kv.close();
    }
  });

  it("writes a session and its owner-index entry to expire in Deno KV when the session does", async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const { kv: counted, sets } = observed(kv);
      const { id } = await (await kvApp(kvStore(counted, prefix, "user")).request("/set/user/ada", { method: "POST" })).json();
      assert.deepEqual(sets.map(({ key }) => key.slice(prefix.length)), [["id", id], ["owner", "ada", id]]);
      for (const { expireIn } of sets) {
        assert.ok(expireIn !== undefined && expireIn <= DENO_KV_MAX_AGE * 1000 && expireIn > DENO_KV_MAX_AGE * 1000 - 5_000, `expireIn ${expireIn}`);
      }
    } finally {
      kv.close();
    }
  });

  it("forgets the versionstamp of the id a regenerated session left: destroying that id later is one read, no commit", async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const { kv: counted, counts } = observed(kv);
      const sessionStore = kvStore(counted, prefix);
      const app = kvApp(sessionStore);
      app.post("/regenerate", async (c) => {
        await getSession(c).regenerate();
        await getSession(c).save();
        return c.json({ id: getSession(c).id });
      });
      const b = new TestBrowser((request) => app.fetch(request));
      const { id: before } = await b.json("/set/k/v", { method: "POST" });
      const { id: after } = await b.json("/regenerate", { method: "POST" });
      assert.notEqual(after, before);
      const snapshot = { ...counts };
      await sessionStore.destroy("session", before);
      assert.deepEqual({ get: counts.get - snapshot.get, commit: counts.commit - snapshot.commit }, { get: 1, commit: 0 });
      assert.deepEqual(await b.json("/get/k"), { value: "v", isNew: false });
    } finally {
      kv.close();
    }
  });

  /** Runs `body` on a counted store (owner "user") under a fresh prefix, with Date.now at `clock.now`. */
  async function withFrozenClock(
    body: (setup: { kv: Awaited<ReturnType<OpenDenoKv>>; prefix: string[]; counts: ReturnType<typeof observed>["counts"]; sessionStore: DenoKvStore; app: ReturnType<typeof kvApp>; clock: { now: number } }) => Promise<void>,
  ): Promise<void> {
    const kv = await open();
    const realNow = Date.now;
    const clock = { now: realNow.call(Date) };
    Date.now = () => clock.now;
    try {
      const prefix = ["test", crypto.randomUUID()];
      const { kv: counted, counts } = observed(kv);
      const sessionStore = kvStore(counted, prefix, "user");
      await body({ kv, prefix, counts, sessionStore, app: kvApp(sessionStore), clock });
    } finally {
      Date.now = realNow;
      kv.close();
    }
  }

  it("lists an owner's sessions live until the millisecond they expire, pruning the rest from the index 10 to a commit", async () => {
    await withFrozenClock(async ({ kv, prefix, counts, sessionStore, app, clock }) => {
      const start = clock.now;
      for (let i = 0; i < 11; i++) await app.request("/set/user/ada", { method: "POST" });
      clock.now += 1;
      const { id: live } = await (await app.request("/set/user/ada", { method: "POST" })).json();
      clock.now = start + DENO_KV_MAX_AGE * 1000;
      const before = { ...counts };
      assert.deepEqual((await sessionStore.list("ada")).map(({ id }) => id), [live]);
      assert.deepEqual({ commit: counts.commit - before.commit, conflicts: counts.conflicts - before.conflicts }, { commit: 2, conflicts: 0 });
      assert.deepEqual(await keysUnder(kv, [...prefix, "owner"]), [["ada", live]]);
      // Nothing left to prune: no commit.
      assert.equal((await sessionStore.list("ada")).length, 1);
      assert.equal(counts.commit - before.commit, 2);
    });
  });

  it("a touch is one commit rewriting the entry, to expire with the session; another instance reads first; a recent time or a destroyed session is not written", async () => {
    await withFrozenClock(async ({ kv, prefix, clock }) => {
      const { kv: watched, counts, sets } = observed(kv);
      const store = kvStore(watched, prefix, "user");
      const start = clock.now;
      const { id } = await (await kvApp(store).request("/set/user/ada", { method: "POST" })).json();
      const before = { ...counts, sets: sets.length };
      await store.touch("session", id, start + TOUCH_INTERVAL - 1);
      assert.deepEqual({ ...counts, sets: sets.length }, before);
      clock.now = start + TOUCH_INTERVAL;
      await store.touch("session", id, clock.now);
      assert.deepEqual({ get: counts.get - before.get, commit: counts.commit - before.commit }, { get: 0, commit: 1 });
      assert.deepEqual(sets.at(-1), { key: [...prefix, "id", id], expireIn: start + DENO_KV_MAX_AGE * 1000 - clock.now });
      assert.equal((await store.list("ada"))[0]!.lastSeenAt, start + TOUCH_INTERVAL);
      // Another instance has not seen the entry: one read, then the commit.
      const other = kvStore(kv, prefix, "user");
      clock.now = start + 2 * TOUCH_INTERVAL;
      await other.touch("session", id, clock.now);
      assert.equal((await store.list("ada"))[0]!.lastSeenAt, start + 2 * TOUCH_INTERVAL);
      await store.destroy("session", id);
      clock.now = start + 3 * TOUCH_INTERVAL;
      await other.touch("session", id, clock.now);
      await store.touch("session", id, clock.now);
      assert.deepEqual(await keysUnder(kv, [...prefix, "id", id]), []);
    });
  });

  it("lists more than 10 sessions of an owner, reading their entries 10 to a read, with their listed values; an index entry without its session is not listed", async () => {
    await withFrozenClock(async ({ kv, prefix }) => {
      const { kv: watched, counts } = observed(kv);
      const store = new DenoKvStore({ kv: watched, secrets: SECRET, prefix, owner: "user", listed: ["user"], cookie: { maxAge: DENO_KV_MAX_AGE } });
      const app = kvApp(store);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await (await app.request("/set/user/ada", { method: "POST" })).json()).id);
      const before = counts.getMany;
      const listed = await store.list("ada");
      assert.equal(counts.getMany - before, 2);
      assert.deepEqual(listed.map(({ id }) => id).sort(), [...ids].sort());
      for (const info of listed) assert.deepEqual(info.data, { user: "ada" });
      const commit = await kv.atomic().delete([...prefix, "id", ids[0]!]).commit();
      assert.ok(commit.ok);
      assert.deepEqual((await store.list("ada")).map(({ id }) => id).sort(), ids.slice(1).sort());
    });
  });

  it("destroyAll() counts the owner's live sessions, 5 to a read and a commit, and leaves one the index wrongly names", async () => {
    await withFrozenClock(async ({ kv, prefix, counts, sessionStore, app, clock }) => {
      const start = clock.now;
      // One session that expires the moment destroyAll() runs (Deno KV still holds it), 11 live ones.
      await app.request("/set/user/ada", { method: "POST" });
      clock.now += 1;
      for (let i = 0; i < 11; i++) await app.request("/set/user/ada", { method: "POST" });
      const { id: bob } = await (await app.request("/set/user/bob", { method: "POST" })).json();
      // An index entry left naming ada for a session that is bob's.
      const index = await kv.get([...prefix, "owner", "bob", bob]);
      await kv.atomic().set([...prefix, "owner", "ada", bob], index.value).commit();
      clock.now = start + DENO_KV_MAX_AGE * 1000;
      const before = { ...counts };
      assert.equal(await sessionStore.destroyAll("ada"), 11);
      // 13 index entries: 5, 5 and 3 to a read and a commit, each commit checking 10 keys at most.
      assert.deepEqual({ getMany: counts.getMany - before.getMany, commit: counts.commit - before.commit }, { getMany: 3, commit: 3 });
      assert.deepEqual(await keysUnder(kv, prefix), [["id", bob], ["owner", "bob", bob]]);
      // No one's sessions: no read, no commit.
      assert.equal(await sessionStore.destroyAll("nobody"), 0);
      assert.deepEqual({ getMany: counts.getMany - before.getMany, commit: counts.commit - before.commit }, { getMany: 3, commit: 3 });
    });
  });

  it("review 3, finding 1: destroyAll() is final against a regenerate() that commits while it runs (its read of the sessions held open)", async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      let holding = false;
      let reached!: () => void;
      const atRead = new Promise<void>((resolve) => (reached = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      // A pass-through database whose first getMany, once armed, waits at the gate: destroyAll() has
      // read the owner index and not yet the sessions it names.
      const held: DenoKv = {
        get: (key) => kv.get(key),
        getMany: async (keys) => {
          if (holding) {
            holding = false;
            reached();
            await gate;
          }
          return kv.getMany(keys);
        },
        list: (selector) => kv.list(selector),
        atomic: () => kv.atomic(),
      };
      const store = kvStore(kv, prefix, "user");
      const app = kvApp(store);
      app.post("/regenerate", async (c) => {
        await getSession(c).regenerate();
        await getSession(c).save();
        return c.json({});
      });
      const b = new TestBrowser((request) => app.fetch(request));
      await b.json("/set/user/alice", { method: "POST" });
      holding = true;
      const destroying = kvStore(held, prefix, "user").destroyAll("alice");
      await atRead;
      await b.json("/regenerate", { method: "POST" });
      assert.equal((await b.json("/get/user")).value, "alice", "the regenerate committed while destroyAll() was held");
      release();
      assert.equal(await destroying, 1);
      assert.deepEqual(await b.json("/get/user"), { value: null, isNew: true });
      assert.deepEqual(await store.list("alice"), []);
      assert.deepEqual(await keysUnder(kv, prefix), []);
    } finally {
      kv.close();
    }
  });

  it("opens nothing from a session entry it did not write, such as the bytes of JSON null", async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const b = new TestBrowser((request) => kvApp(kvStore(kv, prefix)).fetch(request));
      const { id } = await b.json("/set/k/v", { method: "POST" });
      await kv.atomic().set([...prefix, "id", id], new TextEncoder().encode("null")).commit();
      assert.deepEqual(await b.json("/get/k"), { value: null, isNew: true });
    } finally {
      kv.close();
    }
  });

  denoKvLimitCases(it, open);
}
