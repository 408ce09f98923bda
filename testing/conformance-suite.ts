/**
 * The store-agnostic conformance suite: every store runs it through the Hono adapter with real
 * Requests. It covers the seed's own store tests (get/set, delete, flashes, clear, options,
 * maxAge -1, many sessions) and what this library promises beyond them.
 *
 * It depends on no test framework: each runtime hands it its own `describe`, `it` (or `test`) and
 * `expect` (vitest, `bun:test`, or an adapter over `Deno.test`), and it imports no `node:` module.
 *
 * @module
 */
import { Hono } from "hono";
import { getSession, manySessions, sessions } from "../adapters/hono.ts";
import type { SessionsOptions } from "../src/jar.ts";
import type { Store } from "../src/store.ts";
import { assert, assertIncludes, manualClock, useExpect } from "./assert.ts";
import type { Expect } from "./assert.ts";
import { OLD_SECRET, SECRET, TestBrowser, setCookieFor } from "./browser.ts";
import { listedCases } from "./conformance-listed.ts";
import type { ListedStoreOptions } from "./conformance-listed.ts";
import { serverStoreCases } from "./conformance-server.ts";

/** A test body: the suite's are all async. */
export type TestBody = () => Promise<void>;

/**
 * What the suite needs of a test framework: vitest's and `bun:test`'s `describe`, `it` or `test`,
 * and `expect`, as they come; or a few lines over `Deno.test` (see the README).
 */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it?: (name: string, body: TestBody) => void;
  test?: (name: string, body: TestBody) => void;
  expect: Expect;
}

/** What the suite is handed: how to make the store under test, and what kind of store it is. */
export interface StoreUnderTest {
  /**
   * A new store with these secrets (and, for server stores, `owner` and `listed`). Stores made by
   * one factory share their backend, if they have one.
   */
  make(secrets?: string[], options?: ListedStoreOptions): Store | Promise<Store>;
  /** Whether data lives server-side, so a deleted session's old cookie stops working. */
  serverSide: boolean;
  /** Whether two instances made by `make` see the same sessions (true for cookies and Redis). */
  sharedBackend: boolean;
}

/** The app every conformance test drives: one route per Session method. */
export function conformanceApp(store: Store, options?: SessionsOptions, name = "session"): Hono {
  const app = new Hono();
  app.use(sessions(name, store, options));
  app.get("/get/:key", (c) => c.json({ value: getSession(c).get(c.req.param("key")) ?? null, id: getSession(c).id, isNew: getSession(c).isNew }));
  app.post("/set/:key/:value", async (c) => {
    getSession(c).set(c.req.param("key"), c.req.param("value"));
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  app.post("/delete/:key", async (c) => {
    getSession(c).delete(c.req.param("key"));
    await getSession(c).save();
    return c.json({});
  });
  app.post("/clear", async (c) => {
    getSession(c).clear();
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
  app.post("/options", async (c) => {
    getSession(c).options(await c.req.json());
    await getSession(c).save();
    return c.json({});
  });
  app.post("/regenerate", async (c) => {
    const before = getSession(c).id;
    await getSession(c).regenerate();
    await getSession(c).save();
    return c.json({ before, after: getSession(c).id, value: getSession(c).get("k") ?? null });
  });
  app.post("/destroy", async (c) => {
    await getSession(c).destroy();
    return c.json({});
  });
  return app;
}

/** A session saved with `maxAge: 60` (key `k` = "v") still opens after 59 s and is gone after 61 s. */
async function assertEndsAfter60Seconds(b: TestBrowser): Promise<void> {
  const clock = manualClock();
  try {
    clock.advance(59_000);
    assert.equal((await b.json("/get/k")).value, "v");
    clock.advance(2_000);
    assertIncludes(await b.json("/get/k"), { value: null, isNew: true });
  } finally {
    clock.restore();
  }
}

/**
 * Declares the conformance suite for one store, as `describe(label + ": store conformance")`
 * with one test per promise the store keeps. Server stores (`serverSide`) also run the cases of
 * final destroy, the logout and regenerate races, and, when `make` honours `owner` and `listed`,
 * `list` (with `lastSeenAt` and the listed values) and `destroyAll`.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from "vitest";
 * import { storeConformance } from "web-sessions/testing";
 * import { MyStore } from "./my-store.ts";
 *
 * storeConformance({ describe, it, expect }, "MyStore", {
 *   make: (secrets = ["a-secret-of-at-least-32-characters-0001"], options) => new MyStore({ secrets, ...options }),
 *   serverSide: true,
 *   sharedBackend: true,
 * });
 * ```
 */
export function storeConformance(runner: ConformanceRunner, label: string, subject: StoreUnderTest): void {
  const it = runner.it ?? runner.test;
  if (!it) throw new TypeError("storeConformance needs the runner's it or test");
  const { describe } = runner;
  useExpect(runner.expect);
  describe(`${label}: store conformance`, () => {
    async function browser(options?: SessionsOptions) {
      const app = conformanceApp(await subject.make(), options);
      return { app, browser: new TestBrowser((request) => app.fetch(request)) };
    }

    /** A browser holding session k = "v" (`good`, its cookie value), and the cookie of a store with another secret. */
    async function signedInBesideAnotherSecret() {
      const { app, browser: b } = await browser();
      await b.json("/set/k/v", { method: "POST" });
      const foreignApp = conformanceApp(await subject.make(["another-secret-entirely-0123456789abcdef"]));
      const foreignBrowser = new TestBrowser((request) => foreignApp.fetch(request));
      await foreignBrowser.json("/set/k/v", { method: "POST" });
      return { app, browser: b, good: b.cookies.get("session")!, foreign: foreignBrowser.cookies.get("session")! };
    }

    it("gets and sets values across requests", async () => {
      const { browser: b } = await browser();
      assertIncludes(await b.json("/get/k"), { value: null, isNew: true });
      const { id } = await b.json("/set/k/v1", { method: "POST" });
      assert.deepEqual(await b.json("/get/k"), { value: "v1", id, isNew: false });
      await b.json("/set/k/v2", { method: "POST" });
      assertIncludes(await b.json("/get/k"), { value: "v2", id });
    });

    it("gives every session a stable id of at least 128 random bits", async () => {
      const { browser: b } = await browser();
      const { id } = await b.json("/set/k/v", { method: "POST" });
      assert.match(id, /^[A-Za-z0-9_-]{22,}$/);
      await b.json("/set/k/w", { method: "POST" });
      assert.equal((await b.json("/get/k")).id, id);
      const { browser: other } = await browser();
      assert.notEqual((await other.json("/set/k/v", { method: "POST" })).id, id);
    });

    it("deletes a key", async () => {
      const { browser: b } = await browser();
      await b.json("/set/a/1", { method: "POST" });
      await b.json("/set/b/2", { method: "POST" });
      await b.json("/delete/a", { method: "POST" });
      assert.equal((await b.json("/get/a")).value, null);
      assert.equal((await b.json("/get/b")).value, "2");
    });

    it("returns flashes once", async () => {
      const { browser: b } = await browser();
      await b.json("/flash/one", { method: "POST" });
      await b.json("/flash/two", { method: "POST" });
      assert.deepEqual((await b.json("/flashes", { method: "POST" })).flashes, ["one", "two"]);
      assert.deepEqual((await b.json("/flashes", { method: "POST" })).flashes, []);
    });

    if (subject.serverSide) serverStoreCases(it, (options) => subject.make(undefined, options));
    if (subject.serverSide) listedCases(it, (options) => subject.make(undefined, options));

    if (subject.serverSide) {
      it("does not bring back a flash that one request took while another added one", async () => {
        const store = await subject.make();
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let took!: () => void;
        const taken = new Promise<void>((resolve) => (took = resolve));
        // The taker reads the flashes, then waits before saving, so another request overlaps it.
        const taker = new Hono();
        taker.use(sessions("session", store));
        taker.post("/", async (c) => {
          const flashes = getSession(c).flashes();
          took();
          await gate;
          await getSession(c).save();
          return c.json({ flashes });
        });
        const app = conformanceApp(store);
        const b = new TestBrowser((request) => app.fetch(request));
        await b.json("/flash/first", { method: "POST" });
        const taking = taker.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } });
        await taken; // the taker has loaded and read "first": now another request adds one
        await b.json("/flash/second", { method: "POST" });
        release();
        assert.deepEqual((await (await taking).json()).flashes, ["first"]);
        assert.deepEqual((await b.json("/flashes", { method: "POST" })).flashes, ["second"]);
      });
    }

    it("keeps 100 concurrent new sessions apart", async () => {
      // Overlapping saves and loads must never mix one session's bytes into another's.
      const { app } = await browser();
      const browsers = Array.from({ length: 100 }, () => new TestBrowser((request) => app.fetch(request)));
      // Values of different lengths, so sealed buffers of different sizes interleave.
      const valueOf = (i: number) => `v${i}-${"x".repeat(i * 7)}`;
      await Promise.all(browsers.map((b, i) => b.json(`/set/k/${valueOf(i)}`, { method: "POST" })));
      const read = await Promise.all(browsers.map((b) => b.json("/get/k")));
      assert.deepEqual(read.map(({ value }) => value), browsers.map((_, i) => valueOf(i)));
    });

    it("clears every key", async () => {
      const { browser: b } = await browser();
      await b.json("/set/a/1", { method: "POST" });
      await b.json("/set/b/2", { method: "POST" });
      await b.json("/clear", { method: "POST" });
      assert.equal((await b.json("/get/a")).value, null);
      assert.equal((await b.json("/get/b")).value, null);
    });

    it("writes per-session options into Set-Cookie", async () => {
      const { browser: b } = await browser();
      await b.json("/set/a/1", { method: "POST" });
      const response = await b.fetch("/options", {
        method: "POST",
        body: JSON.stringify({ path: "/app", domain: "example.com", maxAge: 60, sameSite: "Strict", httpOnly: false }),
      });
      const line = setCookieFor(response, "session")!;
      assert.match(line, /; Max-Age=60; Path=\/app; Domain=example\.com; Secure; SameSite=Strict$/);
      assert.ok(!line.includes("HttpOnly"));
    });

    it("sends a browser-session cookie with persistent: false, and still ends the session after maxAge", async () => {
      const { browser: b } = await browser({ cookie: { maxAge: 60, persistent: false } });
      const response = await b.fetch("/set/k/v", { method: "POST" });
      const line = setCookieFor(response, "session")!;
      assert.match(line, /^session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      await assertEndsAfter60Seconds(b);
    });

    it("keeps persistent: false set on a session through later saves and rolling refreshes, until it is set back", async () => {
      const { browser: b } = await browser({ rolling: true, cookie: { maxAge: 1000 } });
      await b.json("/set/k/v", { method: "POST" });
      assert.match(b.lastSetCookies[0]!, /; Max-Age=1000;/);
      await b.json("/options", { method: "POST", body: JSON.stringify({ persistent: false }) });
      const browserSession = /^session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/;
      assert.match(b.lastSetCookies[0]!, browserSession);
      await b.json("/set/k/w", { method: "POST" });
      assert.match(b.lastSetCookies[0]!, browserSession);
      const clock = manualClock();
      try {
        clock.advance(200_000); // past a tenth of maxAge: the read refreshes the session
        assert.equal((await b.json("/get/k")).value, "w");
        assert.equal(b.lastSetCookies.length, 1);
        assert.match(b.lastSetCookies[0]!, browserSession);
      } finally {
        clock.restore();
      }
      await b.json("/options", { method: "POST", body: JSON.stringify({ persistent: true }) });
      assert.match(b.lastSetCookies[0]!, /; Max-Age=1000;/);
      assert.equal((await b.json("/get/k")).value, "w");
    });

    it("deletes a browser-session cookie with Max-Age=0", async () => {
      const { browser: b } = await browser({ cookie: { persistent: false } });
      await b.json("/set/k/v", { method: "POST" });
      const response = await b.fetch("/destroy", { method: "POST" });
      assert.match(setCookieFor(response, "session") ?? "", /^session=; Max-Age=0; Path=\//);
      assert.equal(b.cookies.size, 0);
    });

    it("deletes the session when maxAge is -1", async () => {
      const { browser: b } = await browser();
      await b.json("/set/a/1", { method: "POST" });
      const oldCookie = b.cookieHeader();
      const response = await b.fetch("/options", { method: "POST", body: JSON.stringify({ maxAge: -1 }) });
      assert.match(setCookieFor(response, "session") ?? "", /^session=; Max-Age=0; Path=\//);
      assert.equal(b.cookies.size, 0);
      assert.equal((await b.json("/get/a")).value, null);
      if (subject.serverSide) {
        const replayed = await b.json("/get/a", { headers: { Cookie: oldCookie } });
        assertIncludes(replayed, { value: null, isNew: true });
      }
    });

    it("keeps many named sessions apart", async () => {
      const app = new Hono();
      app.use(manySessions(["a", "b"], await subject.make()));
      app.get("/", async (c) => {
        const a = getSession(c, "a");
        const b = getSession(c, "b");
        if (a.get("hello") !== "world!") {
          a.set("hello", "world!");
          await a.save();
        }
        if (b.get("hello") !== "world?") {
          b.set("hello", "world?");
          await b.save();
        }
        return c.json({ a: a.get("hello"), b: b.get("hello"), ids: [a.id, b.id] });
      });
      const b = new TestBrowser((request) => app.fetch(request));
      const first = await b.json("/");
      assertIncludes(first, { a: "world!", b: "world?" });
      assert.notEqual(first.ids[0], first.ids[1]);
      assert.equal(b.lastSetCookies.length, 2);
      assert.deepEqual(await b.json("/"), first);
      assert.equal(b.lastSetCookies.length, 0);
      // A cookie of session "a" presented as "b" is foreign there: b starts afresh.
      const swapped = await app.request("/", { headers: { Cookie: `b=${b.cookies.get("a")}` } });
      const body = await swapped.json();
      assert.notEqual(body.ids[1], first.ids[0]);
    });

    it("sends no Set-Cookie and writes nothing for read-only requests", async () => {
      const { browser: b } = await browser();
      await b.json("/get/k");
      assert.deepEqual(b.lastSetCookies, []);
      await b.json("/set/k/v", { method: "POST" });
      await b.json("/get/k");
      assert.deepEqual(b.lastSetCookies, []);
      await b.json("/flashes", { method: "POST" }); // nothing to remove: not a modification
      assert.deepEqual(b.lastSetCookies, []);
    });

    it("answers tampered, garbage and foreign cookies with a fresh session, status 200", async () => {
      const { app, good, foreign } = await signedInBesideAnotherSecret();
      const candidates = [
        good.slice(0, -1) + (good.endsWith("A") ? "Q" : "A"),
        good.slice(0, good.length / 2),
        `${good}.`,
        "garbage",
        "%E0%A4%A",
        "\u00e9\u00ff~`{}",
        "a".repeat(5000),
        foreign,
      ];
      for (const value of candidates) {
        const response = await app.request("/get/k", { headers: { Cookie: `session=${value}` } });
        assert.equal(response.status, 200);
        assertIncludes(await response.json(), { value: null, isNew: true });
      }
    });

    it("uses the rightful one of duplicated cookies", async () => {
      const { app, browser: b } = await browser();
      await b.json("/set/k/v", { method: "POST" });
      const response = await app.request("/get/k", { headers: { Cookie: `session=junk; ${b.cookieHeader()}` } });
      assert.equal((await response.json()).value, "v");
    });

    it("review 3, finding 5: tries the real cookie behind planted values of its shape (another secret's, or its own key id with a bad MAC)", async () => {
      const { app, browser: b, good, foreign } = await signedInBesideAnotherSecret();
      // Anyone sees the key id in a cookie of their own; the MAC or tag is what they cannot forge.
      const forged = good.slice(0, -2) + (good.endsWith("AA") ? "BA" : "AA");
      const planted = [Array(6).fill(foreign), Array(4).fill(forged), [...Array(6).fill(foreign), ...Array(8).fill(forged)]];
      for (const values of planted) {
        const header = [...values.map((value) => `session=${value}`), b.cookieHeader()].join("; ");
        const response = await app.request("/get/k", { headers: { Cookie: header } });
        assert.equal((await response.json()).value, "v", `${values.length} planted values`);
      }
    });

    it("reports invalid cookies to onInvalidCookie", async () => {
      const seen: string[] = [];
      const { app } = await browser({ onInvalidCookie: (name) => seen.push(name) });
      await app.request("/get/k", { headers: { Cookie: "session=forged" } });
      await app.request("/get/k");
      assert.deepEqual(seen, ["session"]);
    });

    it("refuses a cookie replayed after its Max-Age", async () => {
      const { browser: b } = await browser({ cookie: { maxAge: 60 } });
      await b.json("/set/k/v", { method: "POST" });
      await assertEndsAfter60Seconds(b);
    });

    it("regenerates the id, keeps the data, and retires the old id", async () => {
      const { browser: b } = await browser();
      await b.json("/set/k/v", { method: "POST" });
      const oldCookie = b.cookieHeader();
      const { before, after, value } = await b.json("/regenerate", { method: "POST" });
      assert.notEqual(after, before);
      assert.equal(value, "v");
      assertIncludes(await b.json("/get/k"), { value: "v", id: after });
      if (subject.serverSide) {
        assertIncludes(await b.json("/get/k", { headers: { Cookie: oldCookie } }), { value: null, isNew: true });
      }
    });

    it("destroys the session and its cookie without save()", async () => {
      const { browser: b } = await browser();
      await b.json("/set/k/v", { method: "POST" });
      const oldCookie = b.cookieHeader();
      const response = await b.fetch("/destroy", { method: "POST" });
      assert.match(setCookieFor(response, "session") ?? "", /^session=; Max-Age=0;/);
      assertIncludes(await b.json("/get/k"), { value: null, isNew: true });
      if (subject.serverSide) {
        assertIncludes(await b.json("/get/k", { headers: { Cookie: oldCookie } }), { value: null });
      }
    });

    it("round-trips JSON values exactly", async () => {
      const app = new Hono();
      const values = {
        text: "héllo 🚀 \"quoted\" ; = ,",
        jsonLooking: '{"a":1}',
        numericText: "123",
        big: Number.MAX_SAFE_INTEGER,
        negative: -0.5,
        nested: { list: [1, "two", { three: [null, true, false] }] },
        empty: "",
        ["__proto__"]: "not a prototype", // computed: an own key, not the prototype
      };
      app.use(sessions("session", await subject.make()));
      app.post("/", async (c) => {
        for (const [key, value] of Object.entries(values)) getSession(c).set(key, value);
        await getSession(c).save();
        return c.json({});
      });
      app.get("/", (c) => c.json(Object.fromEntries(Object.keys(values).map((key) => [key, getSession(c).get(key)]))));
      const b = new TestBrowser((request) => app.fetch(request));
      await b.json("/", { method: "POST" });
      assert.deepEqual(await b.json("/"), values);
    });

    // Rotation needs two store instances that see the same data (a new deploy with one more secret).
    if (subject.sharedBackend) {
      it("opens cookies sealed with an older secret, and re-seals with the newest on write", async () => {
        const oldApp = conformanceApp(await subject.make([OLD_SECRET]));
        const b = new TestBrowser((request) => oldApp.fetch(request));
        await b.json("/set/k/v", { method: "POST" });
        const rotatedApp = conformanceApp(await subject.make([SECRET, OLD_SECRET]));
        const rotated = new TestBrowser((request) => rotatedApp.fetch(request));
        for (const [name, value] of b.cookies) rotated.cookies.set(name, value);
        assert.equal((await rotated.json("/get/k")).value, "v");
        await rotated.json("/set/k/w", { method: "POST" });
        const newestOnly = conformanceApp(await subject.make([SECRET]));
        const response = await newestOnly.request("/get/k", { headers: { Cookie: rotated.cookieHeader() } });
        assert.equal((await response.json()).value, "w");
        const stale = await newestOnly.request("/get/k", { headers: { Cookie: b.cookieHeader() } });
        assert.equal((await stale.json()).value, null);
      });
    }
  });
}
