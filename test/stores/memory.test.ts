import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { describeStoreConformance } from "../conformance.ts";
import { manualClock } from "../support/assert.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { dataWrite } from "../support/session-write.ts";

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

/** A MemoryStore keyed by owner "userId" behind an app that signs in at /login/:user, signs out at /logout and says who is in at /me. */
function ownerApp(maxEntries: number) {
  const store = new MemoryStore({ secrets: SECRET, maxEntries, owner: "userId" });
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/login/:user", async (c) => {
    getSession(c).set("userId", c.req.param("user"));
    await getSession(c).save();
    return c.text("ok");
  });
  app.post("/logout", async (c) => {
    await getSession(c).destroy();
    return c.text("ok");
  });
  app.get("/me", (c) => c.json(getSession(c).get("userId") ?? null));
  const browser = () => new TestBrowser((request) => app.fetch(request));
  const signIn = async (user: string) => {
    const b = browser();
    await b.fetch(`/login/${user}`, { method: "POST" });
    return b;
  };
  return { store, browser, signIn };
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

  it("review 3, finding 2: one account signing in 1,000 times cannot evict other signed-in users; it loses its own oldest sessions", async () => {
    const { store, browser } = ownerApp(100);
    const users = Array.from({ length: 50 }, () => browser());
    for (const [i, b] of users.entries()) await b.fetch(`/login/user${i}`, { method: "POST" });
    const mallory = Array.from({ length: 1000 }, () => browser());
    for (const b of mallory) await b.fetch("/login/mallory", { method: "POST" });
    expect(store.size).toBe(100);
    expect(await Promise.all(users.map((b) => b.json("/me")))).toEqual(users.map((_, i) => `user${i}`));
    // Mallory keeps the 50 newest of her sessions, and her first ones are gone.
    expect(await mallory.at(-1)!.json("/me")).toBe("mallory");
    expect(await mallory[0]!.json("/me")).toBeNull();
    expect(await store.list("mallory")).toHaveLength(50);
    // With every owner down to one session, room is made least recently used first again.
    await store.destroyAll("mallory");
    // Read last to first: user49 is now the least recently used, though user0 signed in first.
    for (let i = 49; i >= 0; i--) await users[i]!.json("/me");
    const late = Array.from({ length: 51 }, () => browser());
    for (const [i, b] of late.entries()) await b.fetch(`/login/late${i}`, { method: "POST" });
    expect(store.size).toBe(100);
    expect(await users[49]!.json("/me")).toBeNull();
    expect(await users[0]!.json("/me")).toBe("user0");
  });

  it("review 3, finding 2: keeps count of each owner's sessions through sign-outs and moves between owners", async () => {
    const { store, signIn } = ownerApp(6);
    const [a1, a2, a3] = [await signIn("a"), await signIn("a"), await signIn("a")];
    const [b1, b2] = [await signIn("b"), await signIn("b")];
    const c1 = await signIn("c");
    // a held the most (3); two of its sessions end, so b (2) holds the most now.
    await a3.fetch("/logout", { method: "POST" });
    await a2.fetch("/logout", { method: "POST" });
    const [d1, d2, d3] = [await signIn("d"), await signIn("d"), await signIn("e")];
    expect(store.size).toBe(6);
    expect(await b1.json("/me")).toBeNull();
    expect(await Promise.all([a1, b2, c1, d1, d2, d3].map((b) => b.json("/me")))).toEqual(["a", "b", "c", "d", "d", "e"]);
    // c1 moves to d, which then holds 3: the next sign-in evicts d's oldest, d1.
    await c1.fetch("/login/d", { method: "POST" });
    const f1 = await signIn("f");
    expect(await Promise.all([d1, a1, b2, c1, d2, d3, f1].map((b) => b.json("/me")))).toEqual([null, "a", "b", "d", "d", "e", "f"]);
    expect((await store.list("d")).length).toBe(2);
  });

  it("review 3, finding 2: of owners tied at the most, the first to reach it gives way, its first session first; a sign-in again keeps a session's place, and recent use does not matter", async () => {
    const { store, signIn } = ownerApp(5);
    const [x1, x2] = [await signIn("x"), await signIn("x")];
    const [y1, y2] = [await signIn("y"), await signIn("y")];
    // x reaches 3 and falls back to 2 after y reached 2: y is now the first owner holding 2.
    const x3 = await signIn("x");
    await x3.fetch("/logout", { method: "POST" });
    // y1 signs in again as y: it stays y's first session.
    await y1.fetch("/login/y", { method: "POST" });
    for (const b of [y1, y2, x1, x2]) await b.json("/me");
    const z1 = await signIn("z");
    const z2 = await signIn("z");
    expect(store.size).toBe(5);
    expect(await Promise.all([y1, x1, x2, y2, z1, z2].map((b) => b.json("/me")))).toEqual([null, "x", "x", "y", "z", "z"]);
    // y signs out entirely: x and z still hold the most, and x, first to hold 2, gives way next,
    // though z's sessions are the least recently used.
    await y2.fetch("/logout", { method: "POST" });
    for (const b of [x1, x2]) await b.json("/me");
    await signIn("v");
    await signIn("u");
    expect(await Promise.all([x1, x2, z1, z2].map((b) => b.json("/me")))).toEqual([null, "x", "z", "z"]);
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

  it("refuses an owner key that is not a non-empty string when built", () => {
    for (const owner of ["", 42, null]) {
      expect(() => new MemoryStore({ secrets: SECRET, owner: owner as string })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    }
  });

  it("list() and destroyAll() refuse an owner name that is not a non-empty string", () => {
    const store = new MemoryStore({ secrets: SECRET, owner: "userId" });
    for (const owner of ["", 42, undefined]) {
      expect(() => store.list(owner as string)).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG", message: expect.stringContaining("list() needs an owner name") }));
      expect(() => store.destroyAll(owner as string)).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
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

/** The heap in use after a full collection, so only what is still held is counted. */
function heapUsed(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A new session `id` saved straight to the store, holding `data`, until `expiresAt` (ms). */
function saveDirect(store: MemoryStore, id: string, data: Record<string, unknown>, expiresAt: number): Promise<string | undefined> {
  return store.save("session", dataWrite(id, data, { expiresAt }));
}

describe("MemoryStore expiry, to the millisecond", () => {
  const T = 1_800_000_000_000;
  afterEach(() => {
    vi.useRealTimers();
  });

  it("list() and destroyAll() count a session as gone from its expiresAt on", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T);
    const store = new MemoryStore({ secrets: SECRET, owner: "userId" });
    await saveDirect(store, "a", { userId: "ada" }, T + 1_000);
    await saveDirect(store, "b", { userId: "bob" }, T + 1_000);
    await saveDirect(store, "c", { userId: "cy" }, T + 1_000);
    vi.setSystemTime(T + 999);
    expect((await store.list("ada")).map(({ id }) => id)).toEqual(["a"]);
    vi.setSystemTime(T + 1_000);
    expect(await store.list("ada")).toEqual([]);
    expect(await store.destroyAll("bob")).toBe(0);
    vi.setSystemTime(T + 5_000);
    expect(await store.destroyAll("cy")).toBe(0);
    expect(store.size).toBe(0);
  });

  it("a save sweeps an entry at its expiresAt, and looks at the 4 least recently used only", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T);
    const store = new MemoryStore({ secrets: SECRET });
    await saveDirect(store, "first", { k: 1 }, T + 1_000);
    vi.setSystemTime(T + 1_000);
    await saveDirect(store, "second", { k: 1 }, T + 60_000);
    expect(store.size).toBe(1);
    for (let i = 0; i < 6; i++) await saveDirect(store, `old${i}`, { k: i }, T + 2_000);
    vi.setSystemTime(T + 3_000);
    await saveDirect(store, "new", { k: 1 }, T + 60_000);
    // The four looked at were "second" (live) and old0..old2; old3..old5 wait for later saves.
    expect(store.size).toBe(5);
  });

  it("a cookie that outlives its entry's expiry loads nothing from its expiresAt on", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T);
    const store = new MemoryStore({ secrets: SECRET });
    const early = (await saveDirect(store, "s", { k: "v" }, T + 60_000))!;
    // Another request shortened the session: its entry now ends long before this cookie does.
    await saveDirect(store, "s", { k: "v" }, T + 1_000);
    vi.setSystemTime(T + 999);
    expect((await store.load("session", early))?.data.get("k")).toBe("v");
    vi.setSystemTime(T + 1_000);
    expect(await store.load("session", early)).toBeUndefined();
    expect(store.size).toBe(0);
  });
});

describe("MemoryStore entries", () => {
  it("destroy() of an id it does not hold resolves", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    await saveDirect(store, "s", { k: 1 }, Date.now() + 60_000);
    await store.destroy("session", "missing");
    await store.destroy("session", "s");
    await store.destroy("session", "s");
    expect(store.size).toBe(0);
  });

  it("a changed key keeps its place among the stored keys", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const cookie = (await saveDirect(store, "s", { a: 1, b: 2, c: 3 }, Date.now() + 60_000))!;
    const loaded = (await store.load("session", cookie))!;
    const data = new Map(loaded.data).set("a", 10).set("d", 4);
    await store.save("session", { ...loaded, previousId: undefined, data, changed: new Set(["a", "d"]), deleted: new Set(), cleared: false, flashes: new Map(), flashIds: new Map(), mustExist: true });
    expect([...(await store.load("session", cookie))!.data]).toEqual([["a", 10], ["b", 2], ["c", 3], ["d", 4]]);
  });

  it("keeps one copy of a key saved over and over: the entry does not grow", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const cookie = (await saveDirect(store, "s", { a: 1, big: "" }, Date.now() + 60_000))!;
    const before = heapUsed();
    for (let i = 0; i < 500; i++) await saveDirect(store, "s", { big: `${i}`.padEnd(20_000, "x") }, Date.now() + 60_000);
    // 500 values of 20 KB: 10 MB if old copies stayed in the entry.
    expect(heapUsed() - before).toBeLessThan(3_000_000);
    expect(Object.fromEntries((await store.load("session", cookie))!.data)).toEqual({ a: 1, big: "499".padEnd(20_000, "x") });
  });

  it("sessions of owners that end leave nothing behind in the owner index", async () => {
    const store = new MemoryStore({ secrets: SECRET, owner: "userId" });
    // Long ids and owner names, so that any the index still held would show in the heap.
    const long = (name: string, i: number) => `${name}-${i}-`.padEnd(2_000, "x");
    const cycle = async (from: number) => {
      for (let i = from; i < from + 1_000; i++) await saveDirect(store, long("id", i), { userId: long("user", i) }, Date.now() + 60_000);
      for (let i = from; i < from + 1_000; i += 2) await store.destroy("session", long("id", i));
      for (let i = from + 1; i < from + 1_000; i += 2) expect(await store.destroyAll(long("user", i))).toBe(1);
    };
    await cycle(0);
    const before = heapUsed();
    await cycle(1_000);
    // 1,000 ids and 1,000 owner names of 2 KB: 2 MB each if the index kept them.
    expect(heapUsed() - before).toBeLessThan(1_000_000);
    expect(store.size).toBe(0);
    expect(await store.list(long("user", 1_500))).toEqual([]);
  });
});
