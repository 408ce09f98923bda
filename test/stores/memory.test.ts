import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { describeStoreConformance } from "../conformance.ts";
import { manualClock } from "../support/assert.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";

describeStoreConformance("MemoryStore", {
  make: (secrets = [SECRET], options) => new MemoryStore({ secrets, ...options }),
  serverSide: true,
  sharedBackend: false,
});

function keyApp(store: MemoryStore) {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/set/:key", async (c) => {
    // Yield between load and save, so concurrent requests really overlap.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    getSession(c).set(c.req.param("key"), true);
    await getSession(c).save();
    return c.text("ok");
  });
  app.get("/keys", (c) => c.json(["start", ...Array.from({ length: 40 }, (_, i) => `k${i}`)].filter((k) => getSession(c).get(k))));
  return app;
}

describe("MemoryStore", () => {
  it("keeps all 40 keys set by 40 concurrent requests on one session", async () => {
    const app = keyApp(new MemoryStore({ secrets: SECRET }));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/set/start", { method: "POST" });
    const cookie = b.cookieHeader();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => app.request(`/set/k${i}`, { method: "POST", headers: { Cookie: cookie } })),
    );
    expect(await b.json("/keys")).toHaveLength(41);
  });

  it("is bounded by maxEntries, dropping the least recently used", async () => {
    const store = new MemoryStore({ secrets: SECRET, maxEntries: 3 });
    const app = keyApp(store);
    const browsers = Array.from({ length: 4 }, () => new TestBrowser((request) => app.fetch(request)));
    for (const b of browsers.slice(0, 3)) await b.fetch("/set/start", { method: "POST" });
    await browsers[0]!.json("/keys"); // used again: now the most recent
    await browsers[3]!.fetch("/set/start", { method: "POST" });
    expect(store.size).toBe(3);
    expect(await browsers[0]!.json("/keys")).toEqual(["start"]);
    expect(await browsers[1]!.json("/keys")).toEqual([]);
    expect(await browsers[2]!.json("/keys")).toEqual(["start"]);
    expect(await browsers[3]!.json("/keys")).toEqual(["start"]);
  });

  it("with owner, 100 anonymous saves do not evict a signed-in user from maxEntries: 100", async () => {
    const store = new MemoryStore({ secrets: SECRET, maxEntries: 100, owner: "userId" });
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/login", async (c) => {
      getSession(c).set("userId", "ada");
      await getSession(c).save();
      return c.text("ok");
    });
    app.post("/csrf", async (c) => {
      getSession(c).set("csrf", crypto.randomUUID());
      await getSession(c).save();
      return c.text("ok");
    });
    app.get("/me", (c) => c.json(getSession(c).get("userId") ?? null));
    const user = new TestBrowser((request) => app.fetch(request));
    await user.fetch("/login", { method: "POST" });
    for (let i = 0; i < 100; i++) await app.request("/csrf", { method: "POST" });
    expect(store.size).toBe(100);
    expect(await user.json("/me")).toBe("ada");
    // Signed-in sessions still make room for each other, least recently used first.
    const others = Array.from({ length: 100 }, () => new TestBrowser((request) => app.fetch(request)));
    for (const b of others) await b.fetch("/login", { method: "POST" });
    expect(store.size).toBe(100);
    expect(await user.json("/me")).toBeNull();
    expect(await others[99]!.json("/me")).toBe("ada");
  });

  it("evicts an expired entry before the least recently used live one", async () => {
    const store = new MemoryStore({ secrets: SECRET, maxEntries: 2 });
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/:seconds", async (c) => {
      getSession(c).options({ maxAge: Number(c.req.param("seconds")) });
      getSession(c).set("k", "v");
      await getSession(c).save();
      return c.text("ok");
    });
    app.get("/", (c) => c.json(getSession(c).get("k") ?? null));
    const [long, short, latest] = Array.from({ length: 3 }, () => new TestBrowser((request) => app.fetch(request)));
    await long!.fetch("/600", { method: "POST" });
    await short!.fetch("/1", { method: "POST" });
    const clock = manualClock();
    try {
      clock.advance(2_000);
      await latest!.fetch("/600", { method: "POST" });
      expect(store.size).toBe(2);
      expect(await long!.json("/")).toBe("v");
      expect(await latest!.json("/")).toBe("v");
    } finally {
      clock.restore();
    }
  });

  it("evicts expired entries as new sessions arrive", async () => {
    const store = new MemoryStore({ secrets: SECRET, cookie: { maxAge: 1 } });
    const app = keyApp(store);
    for (let i = 0; i < 3; i++) await app.request("/set/start", { method: "POST" });
    expect(store.size).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await app.request("/set/start", { method: "POST" });
    expect(store.size).toBe(1);
  });

  it("refuses a bad maxEntries when built", () => {
    for (const maxEntries of [0, -1, 1.5]) {
      expect(() => new MemoryStore({ secrets: SECRET, maxEntries })).toThrow(
        expect.objectContaining({ code: "ERR_SESSION_CONFIG" }),
      );
    }
  });

  it("hands each request its own copy of the data", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/", async (c) => {
      getSession(c).set("list", [1]);
      await getSession(c).save();
      return c.text("ok");
    });
    app.get("/mutate", (c) => {
      (getSession(c).get("list") as number[]).push(2); // no set(), no save()
      return c.json(getSession(c).get("list"));
    });
    app.get("/", (c) => c.json(getSession(c).get("list")));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/", { method: "POST" });
    expect(await b.json("/mutate")).toEqual([1, 2]);
    expect(await b.json("/")).toEqual([1]);
  });
});
