/**
 * Conformance cases for server stores' `listed` option and `lastSeenAt`: what `list()` reports,
 * and the touch a read-only request makes at most once per 5 minutes, through the Hono adapter and
 * through the framework-neutral `withSessions`. Races are held open on promises the test
 * releases, and time moves on a manual clock, never on timers. Framework-free like
 * conformance-suite.ts, which declares them.
 *
 * @module
 */
import { Hono } from "hono";
import { getSession, sessions } from "../adapters/hono.ts";
import type { Session } from "../src/session.ts";
import type { ServerSessionStore, SessionInfo, Store } from "../src/store.ts";
import { getSession as getRequestSession, withSessions } from "../src/with-sessions.ts";
import { assert, manualClock } from "./assert.ts";
import { TestBrowser, setCookieFor } from "./browser.ts";

type It = (name: string, body: () => Promise<void>) => void;
/** Options the listed cases build stores with. */
export interface ListedStoreOptions {
  owner?: string;
  listed?: string[];
}
type MakeStore = (options?: ListedStoreOptions) => Store | Promise<Store>;
type Fetcher = (request: Request) => Promise<Response>;

const FIVE_MINUTES = 5 * 60_000;

/**
 * The app of these cases, through Hono or `withSessions`: sign in, set and delete a key, read
 * (`/me`, which never saves), log out. `gate`, when given, holds `/me` open after loading.
 */
function listedApp(kind: "hono" | "withSessions", store: Store, gate?: { loaded(): void; wait: Promise<void> }): Fetcher {
  const routes: Record<string, (session: Session, parts: string[]) => Promise<unknown>> = {
    login: async (session, [user]) => {
      session.set("userId", user);
      await session.save();
      return { id: session.id };
    },
    set: async (session, [key, value]) => {
      session.set(key!, value);
      await session.save();
      return {};
    },
    delete: async (session, [key]) => {
      session.delete(key!);
      await session.save();
      return {};
    },
    me: async (session) => {
      if (gate) {
        gate.loaded();
        await gate.wait;
      }
      return { user: session.get("userId") ?? null, isNew: session.isNew };
    },
    logout: async (session) => {
      await session.destroy();
      return {};
    },
  };
  const route = (session: Session, url: string) => {
    const [name, ...parts] = new URL(url).pathname.slice(1).split("/").map(decodeURIComponent);
    return routes[name!]!(session, parts);
  };
  if (kind === "withSessions") {
    const handler = withSessions({ store }, async (request) => Response.json(await route(getRequestSession(request), request.url)));
    return async (request) => handler(request);
  }
  const app = new Hono();
  app.use(sessions("session", store));
  app.all("*", async (c) => c.json(await route(getSession(c), c.req.url)));
  return async (request) => app.fetch(request);
}

/** A store that counts the saves and touches it passes on, and can make touches fail. */
function counted(store: Store, failTouch?: "reject" | "throw") {
  const calls = { saves: 0, touches: 0 };
  const wrapped: Store = {
    cookie: store.cookie,
    isWellFormed: store.isWellFormed?.bind(store),
    load: (name, value) => store.load(name, value),
    save: (name, write) => {
      calls.saves++;
      return store.save(name, write);
    },
    destroy: (name, id) => store.destroy(name, id),
    touch: (name, id, at) => {
      calls.touches++;
      if (failTouch === "throw") throw new Error("the touch failed at once");
      if (failTouch === "reject") return Promise.reject(new Error("the touch failed"));
      return store.touch!(name, id, at);
    },
  };
  return { calls, store: wrapped };
}

/** A read-only request (`/me`) that loads the session, then waits until `release()`. */
function heldRead(kind: "hono" | "withSessions", store: Store, cookie: string) {
  let release!: () => void;
  let loaded!: () => void;
  const isLoaded = new Promise<void>((resolve) => (loaded = resolve));
  const wait = new Promise<void>((resolve) => (release = resolve));
  const response = listedApp(kind, store, { loaded, wait })(new Request("http://localhost/me", { headers: { Cookie: cookie } }));
  return { loaded: isLoaded, release, response };
}

const only = (infos: SessionInfo[]): SessionInfo => {
  assert.equal(infos.length, 1, `list() gave ${infos.length} sessions`);
  return infos[0]!;
};

function assertBetween(value: number, low: number, high: number, what: string): void {
  assert.ok(value >= low && value <= high, `${what} ${value} is not within [${low}, ${high}]`);
}

export function listedCases(it: It, make: MakeStore): void {
  it("listed: list() returns the listed keys' values a session has, following updates and deletes; lastSeenAt moves on every save", async () => {
    const owner = `ada-${crypto.randomUUID()}`;
    const store = (await make({ owner: "userId", listed: ["device", "userId", "__proto__"] })) as ServerSessionStore;
    const b = new TestBrowser(listedApp("hono", store));
    const clock = manualClock();
    try {
      const before = Date.now();
      const { id } = await b.json(`/login/${encodeURIComponent(owner)}`, { method: "POST" });
      let info = only(await store.list(owner));
      assert.deepEqual(info.data, { userId: owner });
      assertBetween(info.lastSeenAt, before, Date.now(), "lastSeenAt after signing in");
      assert.equal(info.id, id);

      clock.advance(60_000);
      const saved = Date.now();
      await b.json("/set/device/phone", { method: "POST" });
      info = only(await store.list(owner));
      assert.deepEqual(info.data, { userId: owner, device: "phone" });
      assertBetween(info.lastSeenAt, saved, Date.now(), "lastSeenAt after a save");

      await b.json("/set/__proto__/odd", { method: "POST" });
      await b.json("/set/unlisted/x", { method: "POST" });
      info = only(await store.list(owner));
      assert.deepEqual(Object.keys(info.data!).sort(), ["__proto__", "device", "userId"]);
      assert.equal(Object.getOwnPropertyDescriptor(info.data, "__proto__")?.value, "odd");

      await b.json("/delete/device", { method: "POST" });
      await b.json("/delete/__proto__", { method: "POST" });
      assert.deepEqual(only(await store.list(owner)).data, { userId: owner });
    } finally {
      clock.restore();
    }
  });

  it("listed: without the option list() has no data, and lastSeenAt is always there", async () => {
    const owner = `ada-${crypto.randomUUID()}`;
    const store = (await make({ owner: "userId" })) as ServerSessionStore;
    const b = new TestBrowser(listedApp("hono", store));
    await b.json(`/login/${encodeURIComponent(owner)}`, { method: "POST" });
    const info = only(await store.list(owner));
    assert.equal("data" in info, false);
    assert.equal(typeof info.lastSeenAt, "number");
    assertBetween(info.lastSeenAt, info.createdAt, Date.now(), "lastSeenAt");
  });

  it("listed: a listed option that is not an array of non-empty data keys throws ERR_SESSION_CONFIG", async () => {
    for (const listed of [[""], ["device", ""], "device", [1], [null], {}]) {
      await assert.rejects(async () => make({ owner: "userId", listed: listed as string[] }), { code: "ERR_SESSION_CONFIG" });
    }
  });

  for (const kind of ["hono", "withSessions"] as const) {
    it(`lastSeenAt (${kind}): a read-only request records its use once 5 minutes have passed, with one touch and no cookie; another within 5 minutes writes nothing`, async () => {
      const owner = `ada-${crypto.randomUUID()}`;
      const real = (await make({ owner: "userId", listed: ["userId"] })) as ServerSessionStore;
      const { calls, store } = counted(real);
      const b = new TestBrowser(listedApp(kind, store));
      const clock = manualClock();
      try {
        await b.json(`/login/${encodeURIComponent(owner)}`, { method: "POST" });
        const signedIn = only(await real.list(owner));
        const me = async () => {
          const response = await b.fetch("/me");
          assert.equal(response.status, 200);
          assert.equal(setCookieFor(response, "session"), undefined, "a read-only request set a cookie");
          assert.deepEqual(await response.json(), { user: owner, isNew: false });
        };
        await me();
        assert.deepEqual(calls, { saves: 1, touches: 0 });

        clock.advance(FIVE_MINUTES + 1_000);
        const touchedAt = Date.now();
        await me();
        assert.deepEqual(calls, { saves: 1, touches: 1 });
        const touched = only(await real.list(owner));
        assertBetween(touched.lastSeenAt, touchedAt, Date.now(), "lastSeenAt after a touch");
        // Only the time: the expiry and the data are as the sign-in left them.
        assert.deepEqual({ ...touched, lastSeenAt: 0 }, { ...signedIn, lastSeenAt: 0 });

        clock.advance(FIVE_MINUTES - 2_000);
        await me();
        await me();
        assert.deepEqual(calls, { saves: 1, touches: 1 });
        assert.equal(only(await real.list(owner)).lastSeenAt, touched.lastSeenAt);

        clock.advance(3_000);
        await me();
        assert.deepEqual(calls, { saves: 1, touches: 2 });

        // A request that saves records its time in that save: no touch on top, even when stale.
        clock.advance(FIVE_MINUTES + 1_000);
        await b.json("/set/theme/dark", { method: "POST" });
        assert.deepEqual(calls, { saves: 2, touches: 2 });
      } finally {
        clock.restore();
      }
    });
  }

  it("lastSeenAt: of two requests that loaded a stale session at once, the first touch writes and the second, a minute later, does not", async () => {
    const owner = `ada-${crypto.randomUUID()}`;
    const real = (await make({ owner: "userId" })) as ServerSessionStore;
    const { calls, store } = counted(real);
    const b = new TestBrowser(listedApp("withSessions", real));
    const clock = manualClock();
    try {
      await b.json(`/login/${encodeURIComponent(owner)}`, { method: "POST" });
      clock.advance(FIVE_MINUTES + 1_000);
      const [first, second] = [heldRead("withSessions", store, b.cookieHeader()), heldRead("hono", store, b.cookieHeader())];
      await Promise.all([first.loaded, second.loaded]);
      const firstAt = Date.now();
      first.release();
      assert.equal((await first.response).status, 200);
      clock.advance(60_000);
      const secondAt = Date.now();
      second.release();
      assert.equal((await second.response).status, 200);
      assert.equal(calls.touches, 2);
      const { lastSeenAt } = only(await real.list(owner));
      assert.ok(lastSeenAt >= firstAt && lastSeenAt < secondAt, `lastSeenAt ${lastSeenAt} is not the first touch's (${firstAt}, before ${secondAt})`);
    } finally {
      clock.restore();
    }
  });

  const ends: Array<[string, (store: ServerSessionStore, owner: string, cookie: string) => Promise<unknown>]> = [
    ["destroy()", (store, _owner, cookie) => listedApp("hono", store)(new Request("http://localhost/logout", { method: "POST", headers: { Cookie: cookie } }))],
    ["destroyAll()", (store, owner) => store.destroyAll(owner)],
  ];
  for (const [what, end] of ends) {
    it(`lastSeenAt: a touch of a request that loaded the session before ${what} revives nothing`, async () => {
      const owner = `ada-${crypto.randomUUID()}`;
      const real = (await make({ owner: "userId" })) as ServerSessionStore;
      const { calls, store } = counted(real);
      const b = new TestBrowser(listedApp("hono", real));
      const clock = manualClock();
      try {
        await b.json(`/login/${encodeURIComponent(owner)}`, { method: "POST" });
        const cookie = b.cookieHeader();
        clock.advance(FIVE_MINUTES + 1_000);
        const held = heldRead("hono", store, cookie);
        await held.loaded;
        await end(real, owner, cookie);
        held.release();
        const response = await held.response;
        assert.equal(response.status, 200);
        assert.equal(setCookieFor(response, "session"), undefined);
        // The touch was made, after the session was gone.
        assert.equal(calls.touches, 1);
        assert.deepEqual(await real.list(owner), []);
        const replayed = await listedApp("hono", real)(new Request("http://localhost/me", { headers: { Cookie: cookie } }));
        assert.deepEqual(await replayed.json(), { user: null, isNew: true });
      } finally {
        clock.restore();
      }
    });
  }

  for (const failure of ["reject", "throw"] as const) {
    it(`lastSeenAt: a touch that fails (${failure === "reject" ? "rejects" : "throws"}) does not fail its request`, async () => {
      const owner = `ada-${crypto.randomUUID()}`;
      const real = await make({ owner: "userId" });
      const { calls, store } = counted(real, failure);
      const clock = manualClock();
      try {
        for (const kind of ["hono", "withSessions"] as const) {
          const b = new TestBrowser(listedApp(kind, store));
          await b.json(`/login/${encodeURIComponent(owner)}`, { method: "POST" });
          clock.advance(FIVE_MINUTES + 1_000);
          const response = await b.fetch("/me");
          assert.equal(response.status, 200);
          assert.deepEqual(await response.json(), { user: owner, isNew: false });
          assert.equal(setCookieFor(response, "session"), undefined);
        }
        assert.equal(calls.touches, 2);
      } finally {
        clock.restore();
      }
    });
  }
}
