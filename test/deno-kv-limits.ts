/**
 * DenoKvStore's limits and faults: the 64 KiB value limit and owner length, an entry Deno KV keeps
 * past its expiry, a closed database, the retry bound, bad options. Declared by deno-kv-cases.ts.
 */
import { Hono } from "hono";
import { getSession, sessions } from "../adapters/hono.ts";
import { SessionError } from "../src/errors.ts";
import { MAX_ATTEMPTS } from "../src/server-store/deno-kv/driver.ts";
import { MAX_OWNER_BYTES, MAX_VALUE_BYTES } from "../src/server-store/deno-kv/entry.ts";
import { DenoKvStore } from "../src/stores/deno-kv.ts";
import type { DenoKvKey } from "../src/stores/deno-kv.ts";
import { assert } from "./support/assert.ts";
import { SECRET, TestBrowser } from "./support/browser.ts";
import { keysUnder, kvApp, kvStore, observed } from "./support/deno-kv.ts";
import type { It, OpenDenoKv } from "./support/deno-kv.ts";
import { DENO_KV_MAX_AGE } from "./runtimes/subjects.ts";

export function denoKvLimitCases(it: It, open: OpenDenoKv): void {
  it(`stores a session of exactly ${MAX_VALUE_BYTES} bytes; one byte more, or an owner over ${MAX_OWNER_BYTES} bytes, rejects with ERR_SESSION_DATA and writes nothing`, async () => {
    const kv = await open();
    try {
      const prefix = ["test", crypto.randomUUID()];
      const b = new TestBrowser((request) => kvApp(kvStore(kv, prefix)).fetch(request));
      await b.json("/set/pad/x", { method: "POST" });
      const key = [...prefix, "id", ...(await keysUnder(kv, [...prefix, "id"]))[0]!] as DenoKvKey;
      const overhead = ((await kv.get(key)).value as Uint8Array).byteLength - 1;
      const fits = "x".repeat(MAX_VALUE_BYTES - overhead);
      // Through Session.set directly: a URL path this long would be refused before the app.
      const sizing = new Hono();
      sizing.use(sessions("session", kvStore(kv, prefix)));
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
      const owned = kvApp(kvStore(kv, prefix, "user"));
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
      const b = new TestBrowser((request) => kvApp(kvStore(kv, prefix)).fetch(request));
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
      late.use(sessions("session", kvStore(kv, prefix)));
      let proceed!: () => void;
      const gate = new Promise<void>((resolve) => (proceed = resolve));
      let reached!: () => void;
      const loaded = new Promise<void>((resolve) => (reached = resolve));
      late.post("/", async (c) => {
        getSession(c).set("k", "late");
        reached();
        await gate;
        await getSession(c).save();
        return c.json({ isNew: getSession(c).isNew });
      });
      await kv.atomic().set(key, new TextEncoder().encode(JSON.stringify(document))).commit();
      const pending = late.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } });
      await loaded; // the held request has loaded the session
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
    const sessionStore = kvStore(kv, undefined, "user");
    const b = new TestBrowser((request) => kvApp(sessionStore).fetch(request));
    await b.json("/set/user/ada", { method: "POST" });
    kv.close();
    for (const [path, method] of [["/get/k", "GET"], ["/set/k/v", "POST"], ["/destroy", "POST"]] as const) {
      const response = await b.fetch(path, { method });
      assert.deepEqual({ path, status: response.status, body: await response.json() }, { path, status: 503, body: { code: "ERR_SESSION_STORE" } });
    }
    const fresh = await kvApp(sessionStore).request("/set/k/v", { method: "POST" });
    assert.deepEqual(await fresh.json(), { code: "ERR_SESSION_STORE" });
    for (const call of [() => sessionStore.list("ada"), () => sessionStore.destroyAll("ada")]) {
      // The database's own error stays attached, for the logs.
      await assert.rejects(call(), (error: unknown) => error instanceof SessionError && error.code === "ERR_SESSION_STORE" && error.cause instanceof Error);
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
      const b = new TestBrowser((request) => kvApp(kvStore(contested, prefix)).fetch(request));
      await b.json("/set/k/v1", { method: "POST" });
      interfere = true;
      const before = { ...counts };
      const started = Date.now();
      const response = await b.fetch("/set/k/v2", { method: "POST" });
      // Between tries it waits a random while of up to 2, 4, 8, … then 50 ms: 49 waits, over a second
      // on average (below half a second once in billions of runs), so colliding writers spread out.
      const waited = Date.now() - started;
      assert.ok(waited >= 500, `the ${MAX_ATTEMPTS} tries took ${waited} ms`);
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

  it('keeps its keys under ["session"] unless told another prefix', async () => {
    const kv = await open();
    try {
      const store = new DenoKvStore({ kv, secrets: SECRET, owner: "user", cookie: { maxAge: DENO_KV_MAX_AGE } });
      const { id } = await (await kvApp(store).request("/set/user/ada", { method: "POST" })).json();
      assert.deepEqual(await keysUnder(kv, []), [["session", "id", id], ["session", "owner", "ada", id]]);
    } finally {
      kv.close();
    }
  });

  it("refuses a missing kv or a prefix that is not an array with ERR_SESSION_CONFIG", async () => {
    const kv = await open();
    try {
      const methods = { get: kv.get, getMany: kv.getMany, list: kv.list, atomic: kv.atomic };
      const missing = Object.keys(methods).map((name) => ({ kv: { ...methods, [name]: undefined } }));
      for (const options of [{ kv: undefined }, { kv: {} }, ...missing, { kv, prefix: "session" }]) {
        assert.throws(() => new DenoKvStore({ secrets: SECRET, ...options } as never), (error: unknown) => error instanceof SessionError && error.code === "ERR_SESSION_CONFIG");
      }
    } finally {
      kv.close();
    }
  });
}
