/**
 * Conformance cases for server stores only: destroy() and destroyAll() are final against requests
 * in flight (each held open on a promise the test releases, not on timing), and the owner index
 * (list, owner changes, expiry). Framework-free like conformance-suite.ts, which declares them.
 *
 * @module
 */
import { Hono } from "hono";
import { getSession, sessions } from "../adapters/hono.ts";
import type { SessionsOptions } from "../src/jar.ts";
import type { Session } from "../src/session.ts";
import type { ServerSessionStore, Store } from "../src/store.ts";
import { assert, assertIncludes, manualClock } from "./assert.ts";
import { TestBrowser, setCookieFor } from "./browser.ts";

type It = (name: string, body: () => Promise<void>) => void;
type MakeStore = (options?: { owner?: string }) => Store | Promise<Store>;

/**
 * A request on `store` that loads its session, signals `loaded`, waits until `release()`, then runs
 * `late` on the session (a save, a change left to autoSave, or nothing, for a rolling refresh).
 */
function heldRequest(store: Store, options: SessionsOptions | undefined, cookie: string, late: (session: Session) => Promise<void> | void) {
  let release!: () => void;
  let loaded!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const isLoaded = new Promise<void>((resolve) => (loaded = resolve));
  const app = new Hono();
  app.use(sessions("session", store, options));
  app.post("/held", async (c) => {
    loaded();
    await gate;
    await late(getSession(c));
    return c.json({ isNew: getSession(c).isNew });
  });
  const response = Promise.resolve(app.request("/held", { method: "POST", headers: { Cookie: cookie } }));
  return { loaded: isLoaded, release, response };
}

/** The app of the owner cases: sign in as a user, read, regenerate, destroy. */
function ownerApp(store: Store, options?: SessionsOptions): Hono {
  const app = new Hono();
  app.use(sessions("session", store, options));
  app.post("/login/:user", async (c) => {
    getSession(c).set("userId", c.req.param("user"));
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  app.post("/logout-user", async (c) => {
    getSession(c).delete("userId");
    await getSession(c).save();
    return c.json({});
  });
  app.post("/regenerate", async (c) => {
    await getSession(c).regenerate();
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  app.post("/destroy", async (c) => {
    await getSession(c).destroy();
    return c.json({});
  });
  app.get("/me", (c) => c.json({ user: getSession(c).get("userId") ?? null, isNew: getSession(c).isNew }));
  return app;
}

async function expectNoRevivingCookie(response: Response): Promise<void> {
  assert.equal(response.status, 200, await response.clone().text());
  const line = setCookieFor(response, "session");
  assert.ok(line === undefined || /^session=;/.test(line), `a late save set ${line}`);
}

const sorted = (ids: string[]) => [...ids].sort();

export function serverStoreCases(it: It, make: MakeStore): void {
  const lateWrites: Array<[string, SessionsOptions | undefined, (session: Session) => Promise<void> | void, number]> = [
    ["saves", undefined, async (session) => {
      session.set("k", "late");
      await session.save();
    }, 0],
    ["auto-saves", { autoSave: true }, (session) => session.set("k", "late"), 0],
    ["refreshes a rolling session", { rolling: true, cookie: { maxAge: 60 } }, () => {}, 10_000],
  ];
  for (const [what, options, late, advance] of lateWrites) {
    it(`destroy() is final: a request that loaded the session earlier ${what} afterwards and revives nothing`, async () => {
      const store = await make();
      const app = ownerApp(store, options);
      const b = new TestBrowser((request) => app.fetch(request));
      await b.json("/login/ada", { method: "POST" });
      const oldCookie = b.cookieHeader();
      const held = heldRequest(store, options, oldCookie, late);
      await held.loaded;
      const logoutApp = new Hono();
      logoutApp.use(sessions("session", store, options));
      logoutApp.post("/logout", async (c) => {
        await getSession(c).destroy();
        return c.text("bye");
      });
      await logoutApp.request("/logout", { method: "POST", headers: { Cookie: oldCookie } });
      const clock = manualClock();
      try {
        clock.advance(advance);
        held.release();
        await expectNoRevivingCookie(await held.response);
        const replayed = await app.request("/me", { headers: { Cookie: oldCookie } });
        assert.deepEqual(await replayed.json(), { user: null, isNew: true });
      } finally {
        clock.restore();
      }
    });
  }

  it("regenerate() is final for the old id: a late save of it writes nothing and keeps the new one working", async () => {
    const store = await make();
    const app = ownerApp(store);
    const b = new TestBrowser((request) => app.fetch(request));
    await b.json("/login/ada", { method: "POST" });
    const oldCookie = b.cookieHeader();
    const held = heldRequest(store, undefined, oldCookie, async (session) => {
      session.set("userId", "mallory");
      await session.save();
    });
    await held.loaded;
    await b.json("/regenerate", { method: "POST" });
    held.release();
    await expectNoRevivingCookie(await held.response);
    assert.deepEqual(await (await app.request("/me", { headers: { Cookie: oldCookie } })).json(), { user: null, isNew: true });
    assert.deepEqual(await b.json("/me"), { user: "ada", isNew: false });
    assert.notEqual(b.cookieHeader(), oldCookie);
  });

  const ends: Array<[string, (store: ServerSessionStore, owner: string, cookie: string) => unknown]> = [
    ["logs out", (store, _owner, cookie) => ownerApp(store).request("/destroy", { method: "POST", headers: { Cookie: cookie } })],
    ["calls destroyAll() of its owner", (store, owner) => store.destroyAll(owner)],
  ];
  for (const [what, end] of ends) {
    it(`regenerate() after another request ${what} writes nothing: the session stays signed out`, async () => {
      const owner = `ada-${crypto.randomUUID()}`;
      const store = (await make({ owner: "userId" })) as ServerSessionStore;
      const app = ownerApp(store);
      const b = new TestBrowser((request) => app.fetch(request));
      await b.json(`/login/${owner}`, { method: "POST" });
      const oldCookie = b.cookieHeader();
      // What the store answers to the regenerated save: a cookie value would open the new id.
      const answers: Array<string | undefined> = [];
      const watched: Store = {
        cookie: store.cookie,
        isWellFormed: store.isWellFormed?.bind(store),
        load: (name, value) => store.load(name, value),
        save: async (name, write) => {
          const value = await store.save(name, write);
          if (write.previousId !== undefined) answers.push(value);
          return value;
        },
        destroy: (name, id) => store.destroy(name, id),
      };
      const held = heldRequest(watched, undefined, oldCookie, async (session) => {
        await session.regenerate();
        await session.save();
      });
      await held.loaded;
      await end(store, owner, oldCookie);
      held.release();
      await expectNoRevivingCookie(await held.response);
      assert.deepEqual(answers, [undefined]);
      assert.deepEqual(await store.list(owner), []);
      assert.deepEqual(await (await app.request("/me", { headers: { Cookie: oldCookie } })).json(), { user: null, isNew: true });
    });
  }

  it("list() and destroyAll() throw ERR_SESSION_CONFIG without the owner option", async () => {
    const store = (await make()) as ServerSessionStore;
    assert.throws(() => store.list("ada"), { code: "ERR_SESSION_CONFIG" });
    assert.throws(() => store.destroyAll("ada"), { code: "ERR_SESSION_CONFIG" });
  });

  it("lists an owner's live sessions, follows owner changes and regenerate(), never lists expired ones", async () => {
    const owner = `ada-${crypto.randomUUID()}`;
    const other = `bob-${crypto.randomUUID()}`;
    const store = (await make({ owner: "userId" })) as ServerSessionStore;
    const app = ownerApp(store, { cookie: { maxAge: 60 } });
    const [a, b, c] = Array.from({ length: 3 }, () => new TestBrowser((request) => app.fetch(request)));
    const before = Date.now();
    const ids = [await a!.json(`/login/${owner}`, { method: "POST" }), await b!.json(`/login/${owner}`, { method: "POST" }), await c!.json(`/login/${other}`, { method: "POST" })].map(({ id }) => id as string);
    const listed = await store.list(owner);
    assert.deepEqual(sorted(listed.map(({ id }) => id)), sorted(ids.slice(0, 2)));
    for (const info of listed) {
      assert.ok(info.createdAt >= before - 1 && info.createdAt <= Date.now(), `createdAt ${info.createdAt}`);
      assert.ok(Math.abs(info.expiresAt - (info.createdAt + 60_000)) < 2_000, `expiresAt ${info.expiresAt}`);
    }
    // b signs in as the other user: it moves; c signs out of its user: it leaves the index.
    await b!.json(`/login/${other}`, { method: "POST" });
    assert.deepEqual((await store.list(owner)).map(({ id }) => id), [ids[0]]);
    assert.deepEqual(sorted((await store.list(other)).map(({ id }) => id)), sorted([ids[1]!, ids[2]!]));
    await c!.json("/logout-user", { method: "POST" });
    assert.deepEqual((await store.list(other)).map(({ id }) => id), [ids[1]]);
    const { id: regenerated } = await a!.json("/regenerate", { method: "POST" });
    assert.deepEqual((await store.list(owner)).map(({ id }) => id), [regenerated]);
    await b!.json("/destroy", { method: "POST" });
    assert.deepEqual(await store.list(other), []);
    const clock = manualClock();
    try {
      clock.advance(61_000);
      assert.deepEqual(await store.list(owner), []);
      assert.deepEqual(await store.list(other), []);
    } finally {
      clock.restore();
    }
  });

  it("a concurrent save that did not touch the owner key leaves the owner another request set", async () => {
    const [ada, bob] = [`ada-${crypto.randomUUID()}`, `bob-${crypto.randomUUID()}`];
    const store = (await make({ owner: "userId" })) as ServerSessionStore;
    const app = ownerApp(store);
    const b = new TestBrowser((request) => app.fetch(request));
    const { id } = await b.json(`/login/${ada}`, { method: "POST" });
    const held = heldRequest(store, undefined, b.cookieHeader(), async (session) => {
      session.set("theme", "dark");
      await session.save();
    });
    await held.loaded;
    await b.json(`/login/${bob}`, { method: "POST" });
    held.release();
    assert.equal((await held.response).status, 200);
    assert.deepEqual(await store.list(ada), []);
    assert.deepEqual((await store.list(bob)).map((info) => info.id), [id]);
    assert.deepEqual(await b.json("/me"), { user: bob, isNew: false });
  });

  it("destroyAll() is final against a request in flight, and spares `except`", async () => {
    const owner = `ada-${crypto.randomUUID()}`;
    const store = (await make({ owner: "userId" })) as ServerSessionStore;
    const app = ownerApp(store, { autoSave: true });
    const browsers = Array.from({ length: 4 }, () => new TestBrowser((request) => app.fetch(request)));
    const ids: string[] = [];
    for (const b of browsers) ids.push((await b.json(`/login/${owner}`, { method: "POST" })).id);
    const bystander = new TestBrowser((request) => app.fetch(request));
    await bystander.json(`/login/other-${crypto.randomUUID()}`, { method: "POST" });
    const held = heldRequest(store, { autoSave: true }, browsers[1]!.cookieHeader(), (session) => session.set("userId", owner));
    await held.loaded;
    assert.equal(await store.destroyAll(owner, { except: ids[0] }), 3);
    held.release();
    await expectNoRevivingCookie(await held.response);
    assert.deepEqual((await store.list(owner)).map(({ id }) => id), [ids[0]]);
    assertIncludes(await browsers[0]!.json("/me"), { user: owner, isNew: false });
    for (const b of browsers.slice(1)) assert.deepEqual(await b.json("/me"), { user: null, isNew: true });
    assertIncludes(await bystander.json("/me"), { isNew: false });
    assert.equal(await store.destroyAll(owner), 1);
    assert.equal(await store.destroyAll(owner), 0);
  });
}
