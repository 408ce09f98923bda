/**
 * Cases of DurableObjectStore that only make sense inside workerd, beside the conformance suite:
 * 40 writers on one session, RPC calls counted per request, the object's own expiry and alarm,
 * and faults surfaced as ERR_SESSION_STORE. Framework-free: durable-objects-worker.ts runs them.
 */
import { Hono } from "hono";
import { getSession, sessions } from "../../../adapters/hono.ts";
import { DurableObjectStore } from "../../../src/stores/durable-objects.ts";
import type { SessionsNamespace } from "../../../src/stores/durable-objects.ts";
import type { SessionsStub } from "../../../src/server-store/durable-objects/driver.ts";
import type { WritePlan } from "../../../src/server-store/write-plan.ts";
import { ownerObjectName, sessionObjectName } from "../../../src/server-store/durable-objects/protocol.ts";
import { assert, manualClock } from "../../support/assert.ts";
import { SECRET, TestBrowser } from "../../support/browser.ts";

export interface DurableObjectsEnv {
  /** Bound to SessionsObject. */
  SESSIONS: SessionsNamespace;
  /** Bound to a SessionsObject whose every call fails as an overloaded object's does. */
  OVERLOADED: SessionsNamespace;
  /** Bound to a SessionsObject that resets itself (ctx.abort) on every call. */
  RESETTING: SessionsNamespace;
}

type It = (name: string, body: () => Promise<void>) => void;

const METHODS = ["load", "save", "end", "info", "indexAdd", "indexEntries", "indexPrune"] as const;

/**
 * The namespace with every RPC call recorded by method name (the store's round trips), each call
 * made once `before(method)` resolves (a test may hold one there).
 */
function counting(namespace: SessionsNamespace, before: (method: string) => Promise<void> = async () => {}): { namespace: SessionsNamespace; calls: string[] } {
  const calls: string[] = [];
  const get = (id: never) => {
    const stub = namespace.get(id) as Record<string, (...args: unknown[]) => unknown>;
    const call = async (method: string, args: unknown[]) => {
      calls.push(method);
      await before(method);
      return stub[method]!(...args);
    };
    return Object.fromEntries(METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)]));
  };
  return { namespace: { idFromName: (name) => namespace.idFromName(name), get }, calls };
}

/** A gate on the first call of `method`: `before` holds it there until `release()`; `reached` resolves when it is held. */
function heldAt(method: string): { before: (method: string) => Promise<void>; reached: Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let armed = true;
  return {
    reached,
    release,
    before: async (called) => {
      if (called !== method || !armed) return;
      armed = false;
      reach();
      await gate;
    },
  };
}

function stubOf(namespace: SessionsNamespace, name: string): SessionsStub {
  return namespace.get(namespace.idFromName(name) as never) as SessionsStub;
}

/** An app with the routes the cases use. */
function app(store: DurableObjectStore): Hono {
  const app = new Hono();
  // A failed request answers 500 without Hono's default logging of the error.
  app.onError((_error, c) => c.text("store failed", 500));
  app.use(sessions("session", store));
  app.get("/get/:key", (c) => c.json({ value: getSession(c).get(c.req.param("key")) ?? null }));
  app.post("/set/:key/:value", async (c) => {
    getSession(c).set(c.req.param("key"), c.req.param("value"));
    await getSession(c).save();
    return c.json({});
  });
  app.post("/flash/:value", async (c) => {
    getSession(c).addFlash(c.req.param("value"));
    await getSession(c).save();
    return c.json({});
  });
  app.post("/flashes", async (c) => {
    const flashes = getSession(c).flashes();
    await getSession(c).save();
    return c.json({ flashes });
  });
  app.post("/login/:user", async (c) => {
    getSession(c).set("userId", c.req.param("user"));
    await getSession(c).save();
    return c.json({});
  });
  app.post("/regenerate", async (c) => {
    await getSession(c).regenerate();
    await getSession(c).save();
    return c.json({});
  });
  app.post("/destroy", async (c) => {
    await getSession(c).destroy();
    return c.json({});
  });
  return app;
}

export function durableObjectCases(it: It, env: () => DurableObjectsEnv): void {
  it("refuses a missing or wrong namespace, short secrets and an empty owner key with ERR_SESSION_CONFIG when built", async () => {
    const config = { code: "ERR_SESSION_CONFIG" };
    for (const namespace of [undefined, null, {}, "SESSIONS", { idFromName: () => "id" }]) {
      assert.throws(() => new DurableObjectStore({ namespace: namespace as never, secrets: SECRET }), config);
    }
    assert.throws(() => new DurableObjectStore({ namespace: env().SESSIONS, secrets: "short" }), config);
    assert.throws(() => new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET, owner: "" }), config);
    assert.throws(() => new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET, cookie: { maxAge: 0 } }), config);
  });

  it("40 concurrent writers on one session, each setting its own key, lose nothing; 40 concurrent flashes all arrive", async () => {
    const store = new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET });
    const a = app(store);
    const b = new TestBrowser((request) => a.fetch(request));
    await b.json("/set/first/0", { method: "POST" });
    const cookie = b.cookieHeader();
    const writers = Array.from({ length: 40 }, (_, i) => a.request(`/set/k${i}/${i}`, { method: "POST", headers: { Cookie: cookie } }));
    for (const response of await Promise.all(writers)) assert.equal(response.status, 200);
    const values = await Promise.all(Array.from({ length: 40 }, async (_, i) => (await b.json(`/get/k${i}`)).value));
    assert.deepEqual(values, Array.from({ length: 40 }, (_, i) => String(i)));
    const flashers = Array.from({ length: 40 }, (_, i) => a.request(`/flash/f${i}`, { method: "POST", headers: { Cookie: cookie } }));
    for (const response of await Promise.all(flashers)) assert.equal(response.status, 200);
    const { flashes } = await b.json("/flashes", { method: "POST" });
    assert.deepEqual([...flashes].sort(), Array.from({ length: 40 }, (_, i) => `f${i}`).sort());
  });

  it("round trips: none without a valid cookie, one RPC call to load, one to save; a sign-in adds the index, a destroy of an owned session drops from it, a regenerate ends the old id first", async () => {
    const { namespace, calls } = counting(env().SESSIONS);
    const store = new DurableObjectStore({ namespace, secrets: SECRET, owner: "userId" });
    const a = app(store);
    const b = new TestBrowser((request) => a.fetch(request));
    const step = async (path: string, init?: RequestInit) => {
      calls.length = 0;
      await b.json(path, init);
      return [...calls];
    };
    assert.deepEqual(await step("/get/k"), []);
    assert.deepEqual(await step("/get/k", { headers: { Cookie: "session=forged.value" } }), []);
    assert.deepEqual(await step("/set/k/v", { method: "POST" }), ["save"]);
    assert.deepEqual(await step("/get/k"), ["load"]);
    assert.deepEqual(await step("/set/k/w", { method: "POST" }), ["load", "save"]);
    assert.deepEqual(await step("/login/ada", { method: "POST" }), ["load", "indexAdd", "save"]);
    assert.deepEqual(await step("/set/k/x", { method: "POST" }), ["load", "save"]);
    // The old id ends before the new one is indexed and written; it stays in its owner's index,
    // naming its successor, until the new id is written.
    assert.deepEqual(await step("/regenerate", { method: "POST" }), ["load", "end", "indexAdd", "save", "indexPrune"]);
    assert.deepEqual(await step("/destroy", { method: "POST" }), ["load", "end", "indexPrune"]);
  });

  it("a sign-in whose index entry is written but its session not yet is neither lost by list() and destroyAll() pruning, nor listed early", async () => {
    const owner = `ada-${crypto.randomUUID()}`;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const { namespace } = counting(env().SESSIONS, async (method) => {
      if (method !== "save") return;
      holding();
      await gate;
    });
    const store = new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET, owner: "userId" });
    const signingIn = app(new DurableObjectStore({ namespace, secrets: SECRET, owner: "userId" })).request(`/login/${owner}`, { method: "POST" });
    await held;
    assert.deepEqual(await store.list(owner), []);
    assert.equal(await store.destroyAll(owner), 0);
    release();
    const response = await signingIn;
    assert.equal(response.status, 200);
    const cookie = response.headers.getSetCookie()[0]!.split(";")[0]!;
    const listed = await store.list(owner);
    assert.equal(listed.length, 1);
    assert.equal(await store.destroyAll(owner), 1);
    assert.deepEqual(await (await app(store).request("/get/userId", { headers: { Cookie: cookie } })).json(), { value: null });
  });

  it("review 3, finding 1: destroyAll() is final against a regenerate() that ends the old id while destroyAll() is held between its index read and its ends", async () => {
    const owner = `alice-${crypto.randomUUID()}`;
    const gate = heldAt("end");
    const store = new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET, owner: "userId" });
    const a = app(store);
    const b = new TestBrowser((request) => a.fetch(request));
    await b.json(`/login/${owner}`, { method: "POST" });
    const destroying = new DurableObjectStore({ namespace: counting(env().SESSIONS, gate.before).namespace, secrets: SECRET, owner: "userId" }).destroyAll(owner);
    await gate.reached;
    // The regenerate ends the old id and writes the new one while destroyAll() waits to end the old id.
    await b.json("/regenerate", { method: "POST" });
    assert.equal((await b.json("/get/userId")).value, owner);
    gate.release();
    assert.equal(await destroying, 1);
    assert.equal((await b.json("/get/userId")).value, null);
    assert.deepEqual(await store.list(owner), []);
  });

  it("review 3, finding 1: destroyAll() is final against a regenerate() whose new id is not written yet: that save finds it destroyed", async () => {
    const owner = `alice-${crypto.randomUUID()}`;
    const gate = heldAt("save");
    const store = new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET, owner: "userId" });
    const b = new TestBrowser((request) => app(store).fetch(request));
    await b.json(`/login/${owner}`, { method: "POST" });
    const before = b.cookieHeader();
    const slow = app(new DurableObjectStore({ namespace: counting(env().SESSIONS, gate.before).namespace, secrets: SECRET, owner: "userId" }));
    const regenerating = slow.request("/regenerate", { method: "POST", headers: { Cookie: before } });
    await gate.reached;
    assert.equal(await store.destroyAll(owner), 1);
    gate.release();
    const response = await regenerating;
    assert.equal(response.status, 200);
    // No cookie that would open anything: the regenerated id was sealed before its save landed.
    for (const line of response.headers.getSetCookie()) {
      const cookie = line.split(";")[0]!;
      assert.equal((await (await app(store).request("/get/userId", { headers: { Cookie: cookie } })).json()).value, null);
    }
    assert.equal((await b.json("/get/userId")).value, null);
    assert.deepEqual(await store.list(owner), []);
  });

  it("review 3, hardening: list() and destroyAll() ask at most 25 session objects at once, and handle an owner of 60 sessions", async () => {
    const owner = `many-${crypto.randomUUID()}`;
    let open = 0;
    let most = 0;
    const { namespace } = counting(env().SESSIONS, async (method) => {
      if (method !== "info" && method !== "end") return;
      most = Math.max(most, ++open);
      await new Promise((resolve) => setTimeout(resolve, 1));
      open--;
    });
    const store = new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET, owner: "userId" });
    const a = app(store);
    await Promise.all(Array.from({ length: 60 }, () => new TestBrowser((request) => a.fetch(request)).json(`/login/${owner}`, { method: "POST" })));
    const counted = new DurableObjectStore({ namespace, secrets: SECRET, owner: "userId" });
    assert.equal((await counted.list(owner)).length, 60);
    assert.equal(await counted.destroyAll(owner), 60);
    assert.ok(most > 1 && most <= 25, `at most 25 calls at once, and some at once: ${most}`);
    assert.deepEqual(await store.list(owner), []);
  });

  it("the owner index stays tidy: destroy() drops the id, list() prunes destroyed and expired ones, moved ones once their expiry passed", async () => {
    const owner = `ada-${crypto.randomUUID()}`;
    const store = new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET, owner: "userId" });
    const index = stubOf(env().SESSIONS, ownerObjectName(owner));
    const a = app(store);
    const browsers = Array.from({ length: 3 }, () => new TestBrowser((request) => a.fetch(request)));
    for (const b of browsers) await b.json(`/login/${owner}`, { method: "POST" });
    assert.equal((await index.indexEntries()).length, 3);
    await browsers[0]!.json("/destroy", { method: "POST" });
    assert.equal((await index.indexEntries()).length, 2);
    await browsers[1]!.json("/login/someone-else", { method: "POST" });
    assert.equal((await store.list(owner)).length, 1);
    // Moved: kept while a save announced with it could still be on its way.
    assert.equal((await index.indexEntries()).length, 2);
    // As of a time past every announced expiry, list() finds none and prunes all.
    const latest = Math.max(...(await index.indexEntries()).map(([, hint]) => hint));
    const clock = manualClock();
    try {
      clock.advance(latest + 1 - Date.now());
      assert.deepEqual(await store.list(owner), []);
    } finally {
      clock.restore();
    }
    assert.deepEqual(await index.indexEntries(), []);
  });

  it("the object checks its stored expiry itself: an expired session loads as nothing and takes no save", async () => {
    const stub = stubOf(env().SESSIONS, sessionObjectName(`expiry-${crypto.randomUUID()}`));
    const now = Date.now();
    const plan: WritePlan = { id: "x", previousId: undefined, mustExist: false, whole: true, set: [["k", '"v"']], deleted: [], added: [], taken: [], owner: undefined, createdAt: now, expiresAt: now + 60_000, lastSeenAt: now };
    assert.equal(await stub.save(plan, now), true);
    assert.deepEqual(await stub.load(now + 59_000), { createdAt: now, expiresAt: now + 60_000, lastSeenAt: now, values: [["k", '"v"']], flashes: [] });
    assert.equal(await stub.load(now + 60_000), undefined);
    assert.equal(await stub.save({ ...plan, expiresAt: now + 120_000 }, now + 60_000), false);
    assert.deepEqual(await stub.info("ada", now + 60_000), { state: "gone" });
  });

  it("the expiry alarm sweeps the object when the session expires", async () => {
    const stub = stubOf(env().SESSIONS, sessionObjectName(`alarm-${crypto.randomUUID()}`));
    const now = Date.now();
    const plan: WritePlan = { id: "x", previousId: undefined, mustExist: false, whole: true, set: [["k", '"v"']], deleted: [], added: [], taken: [], owner: null, createdAt: now, expiresAt: now + 300, lastSeenAt: now };
    assert.equal(await stub.save(plan, now), true);
    // Asked as of time 0, a stored session is live however old: only the sweep makes it empty.
    assert.notEqual(await stub.load(0), undefined);
    const deadline = Date.now() + 5_000;
    while ((await stub.load(0)) !== undefined) {
      assert.ok(Date.now() < deadline, "the alarm did not sweep the expired session within 5 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(await stub.info("ada", 0), { state: "empty" });
  });

  for (const [what, binding] of [
    ["an overloaded object (every call throws)", "OVERLOADED"],
    ["an object that resets itself (ctx.abort)", "RESETTING"],
  ] as const) {
    it(`faults of ${what} reject load, save, destroy, list and destroyAll with ERR_SESSION_STORE, and fail the request`, async () => {
      const good = new DurableObjectStore({ namespace: env().SESSIONS, secrets: SECRET, owner: "userId" });
      const bad = new DurableObjectStore({ namespace: env()[binding], secrets: SECRET, owner: "userId" });
      const b = new TestBrowser((request) => app(good).fetch(request));
      await b.json("/set/k/v", { method: "POST" });
      const cookie = b.cookies.get("session")!;
      const now = Date.now();
      const write = { id: "x", previousId: undefined, data: new Map([["k", 1]]), changed: new Set(["k"]), deleted: new Set<string>(), cleared: false, createdAt: now, expiresAt: now + 60_000, flashes: new Map(), flashIds: new Map() };
      const attempts: Array<[string, () => Promise<unknown>]> = [
        ["load", () => bad.load("session", cookie)],
        ["save", () => bad.save("session", write)],
        ["destroy", () => bad.destroy("session", "x")],
        ["list", () => bad.list("ada")],
        ["destroyAll", () => bad.destroyAll("ada")],
      ];
      for (const [name, attempt] of attempts) {
        await assert.rejects(attempt(), (error: { code?: string; cause?: unknown }) => {
          assert.equal(error.code, "ERR_SESSION_STORE", name);
          assert.ok(error.cause instanceof Error, `${name}: the object's error is kept as cause`);
          return true;
        });
      }
      const response = await app(bad).request("/set/k/w", { method: "POST", headers: { Cookie: `session=${cookie}` } });
      assert.equal(response.status, 500);
      assert.deepEqual(response.headers.getSetCookie(), []);
      // The session is untouched in the working namespace.
      assert.equal((await b.json("/get/k")).value, "v");
    });
  }
}
