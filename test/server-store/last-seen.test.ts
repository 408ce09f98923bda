import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { sessionInfo } from "../../src/server-store/server-store.ts";
import { TOUCH_INTERVAL } from "../../src/store.ts";
import type { Store } from "../../src/store.ts";
import { CookieStore } from "../../src/stores/cookie.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";

const T = 1_700_000_000_000;

afterEach(() => {
  vi.useRealTimers();
});

/** Time stands still at `at` until moved again (Date only: promises and timers run as usual). */
function freezeAt(at: number): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at);
}

/** A store that counts the touches it passes on. */
function counted(store: Store) {
  const touches: Array<[id: string, at: number]> = [];
  const wrapped: Store = {
    cookie: store.cookie,
    isWellFormed: store.isWellFormed?.bind(store),
    load: (name, value) => store.load(name, value),
    save: (name, write) => store.save(name, write),
    destroy: (name, id) => store.destroy(name, id),
    touch: (name, id, at) => {
      touches.push([id, at]);
      return store.touch!(name, id, at);
    },
  };
  return { touches, store: wrapped };
}

function app(store: Store) {
  const hono = new Hono();
  hono.use(sessions("session", store));
  hono.post("/login", async (c) => {
    getSession(c).set("userId", "ada");
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  hono.get("/me", (c) => c.json({ user: getSession(c).get("userId") ?? null }));
  hono.post("/regenerate-unsaved", async (c) => {
    await getSession(c).regenerate();
    return c.json({});
  });
  hono.post("/fail", () => {
    throw new Error("the handler failed");
  });
  hono.onError((_error, c) => c.text("failed", 500));
  return hono;
}

describe("sessionInfo", () => {
  it("falls back to createdAt for a session without a last-seen time, and has no data without listed", () => {
    const info = sessionInfo({ id: "s", createdAt: 1, expiresAt: 3, lastSeenAt: undefined }, undefined, () => "never asked");
    expect(info).toStrictEqual({ id: "s", createdAt: 1, expiresAt: 3, lastSeenAt: 1 });
  });

  it("holds the listed keys the session has, each an own property, __proto__ included", () => {
    const values = new Map<string, unknown>([["device", "phone"], ["__proto__", "odd"], ["other", 1]]);
    const info = sessionInfo({ id: "s", createdAt: 1, expiresAt: 3, lastSeenAt: 2 }, ["device", "__proto__", "missing"], (key) => values.get(key));
    expect(info.lastSeenAt).toBe(2);
    expect(Object.keys(info.data!)).toEqual(["device", "__proto__"]);
    expect(Object.getPrototypeOf(info.data)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(info.data, "__proto__")?.value).toBe("odd");
    expect(sessionInfo({ id: "s", createdAt: 1, expiresAt: 3, lastSeenAt: 2 }, [], () => 1).data).toStrictEqual({});
  });
});

describe("MemoryStore last-seen times", () => {
  it("refuses listed without owner, which list() could never use", () => {
    expect(() => new MemoryStore({ secrets: SECRET, listed: ["device"] })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    expect(() => new MemoryStore({ secrets: SECRET, owner: "userId", listed: [] })).not.toThrow();
  });

  it("keeps its own copy of listed: changing the caller's array later changes nothing", async () => {
    const listed = ["device"];
    const store = new MemoryStore({ secrets: SECRET, owner: "userId", listed });
    listed.push("userId");
    const b = new TestBrowser((request) => app(store).fetch(request));
    await b.json("/login", { method: "POST" });
    expect((await store.list("ada"))[0]!.data).toStrictEqual({});
  });

  it("a touch writes over a time exactly TOUCH_INTERVAL older, not over a newer one", async () => {
    freezeAt(T);
    const store = new MemoryStore({ secrets: SECRET, owner: "userId" });
    const { id } = await new TestBrowser((request) => app(store).fetch(request)).json("/login", { method: "POST" });
    await store.touch("session", id, T + TOUCH_INTERVAL - 1);
    expect((await store.list("ada"))[0]!.lastSeenAt).toBe(T);
    await store.touch("session", id, T + TOUCH_INTERVAL);
    expect((await store.list("ada"))[0]!.lastSeenAt).toBe(T + TOUCH_INTERVAL);
    await store.touch("session", "no-such-session", T + 2 * TOUCH_INTERVAL);
    expect(store.size).toBe(1);
  });
});

describe("the jar's touch", () => {
  it("touches a session loaded exactly TOUCH_INTERVAL after its last save, not a millisecond before, with the time of the request", async () => {
    freezeAt(T);
    const { touches, store } = counted(new MemoryStore({ secrets: SECRET }));
    const b = new TestBrowser((request) => app(store).fetch(request));
    const { id } = await b.json("/login", { method: "POST" });
    vi.setSystemTime(T + TOUCH_INTERVAL - 1);
    await b.json("/me");
    expect(touches).toEqual([]);
    vi.setSystemTime(T + TOUCH_INTERVAL);
    await b.json("/me");
    expect(touches).toEqual([[id, T + TOUCH_INTERVAL]]);
  });

  it("does not touch a session the request regenerated without saving, nor after a failed handler", async () => {
    freezeAt(T);
    const { touches, store } = counted(new MemoryStore({ secrets: SECRET }));
    const b = new TestBrowser((request) => app(store).fetch(request));
    await b.json("/login", { method: "POST" });
    vi.setSystemTime(T + TOUCH_INTERVAL);
    await b.json("/regenerate-unsaved", { method: "POST" });
    expect((await b.fetch("/fail", { method: "POST" })).status).toBe(500);
    expect(touches).toEqual([]);
  });

  it("does not touch a session whose save found it gone", async () => {
    freezeAt(T);
    const memory = new MemoryStore({ secrets: SECRET });
    const { touches, store } = counted(memory);
    const b = new TestBrowser((request) => app(store).fetch(request));
    const { id } = await b.json("/login", { method: "POST" });
    vi.setSystemTime(T + TOUCH_INTERVAL);
    const late = new Hono();
    late.use(sessions("session", store));
    late.post("/", async (c) => {
      await memory.destroy("session", id);
      getSession(c).set("k", "late");
      await getSession(c).save();
      return c.json({ isNew: getSession(c).isNew });
    });
    const response = await late.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } });
    expect(await response.json()).toEqual({ isNew: true });
    expect(touches).toEqual([]);
  });

  it("asks nothing of a store without touch (the cookie store)", async () => {
    freezeAt(T);
    const cookies = new CookieStore({ secrets: SECRET });
    const b = new TestBrowser((request) => app(cookies).fetch(request));
    await b.json("/login", { method: "POST" });
    vi.setSystemTime(T + 2 * TOUCH_INTERVAL);
    const response = await b.fetch("/me");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: "ada" });
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});
