import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SessionError } from "../src/errors.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import type { SessionWrite, Store, StoredSession } from "../src/store.ts";
import { addJar, getSession, loadSession, pickJar, withSessions } from "../src/with-sessions.ts";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { SessionsConfig } from "../src/jar.ts";
import { SECRET, TestBrowser, setCookieFor } from "./support/browser.ts";

const code = (c: string) => expect.objectContaining({ name: "SessionError", code: c });

function counter(config: Partial<SessionsConfig> = {}) {
  return withSessions({ store: new MemoryStore({ secrets: SECRET }), ...config }, async (request: Request) => {
    const session = getSession<{ count: number }>(request);
    if (new URL(request.url).pathname === "/incr") {
      session.set("count", (session.get("count") ?? 0) + 1);
      if (!config.autoSave) await session.save();
    }
    return Response.json({ count: session.get("count") ?? 0 });
  });
}

/** A store that fails on demand: a unit stand-in for a store that is down (the Upstash tests use a real one). */
class FlakyStore implements Store {
  readonly inner = new MemoryStore({ secrets: SECRET });
  failing = false;
  #check() {
    if (this.failing) throw new Error("connection refused");
  }
  async load(name: string, value: string) {
    this.#check();
    return this.inner.load(name, value);
  }
  async save(name: string, write: SessionWrite) {
    this.#check();
    return this.inner.save(name, write);
  }
  async destroy(name: string, id: string) {
    this.#check();
    return this.inner.destroy(name, id);
  }
}

describe("withSessions", () => {
  afterEach(() => vi.useRealTimers());

  it("gives a plain fetch handler its session and keeps the runtime's extra arguments", async () => {
    const seen: unknown[] = [];
    const handler = withSessions({ store: new CookieStore({ secrets: SECRET }) }, async (request: Request, env: { n: number }) => {
      seen.push(env);
      const session = getSession(request);
      session.set("n", env.n);
      await session.save();
      return new Response("ok");
    });
    const response = await handler(new Request("http://x/"), { n: 7 });
    expect(seen).toEqual([{ n: 7 }]);
    expect(setCookieFor(response, "session")).toMatch(/^session=[\w.-]+; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it("counts across requests and writes nothing when nothing changed", async () => {
    const b = new TestBrowser(counter());
    expect(await b.json("/incr")).toEqual({ count: 1 });
    expect(await b.json("/incr")).toEqual({ count: 2 });
    expect(await b.json("/")).toEqual({ count: 2 });
    expect(b.lastSetCookies).toEqual([]);
  });

  it("auto-saves modified sessions when asked to", async () => {
    const b = new TestBrowser(counter({ autoSave: true }));
    await b.json("/incr");
    expect(await b.json("/incr")).toEqual({ count: 2 });
    await b.json("/");
    expect(b.lastSetCookies).toEqual([]);
  });

  it("adds Set-Cookie to responses with immutable headers", async () => {
    const upstream = await fetchLikeResponse();
    const handler = withSessions({ store: new CookieStore({ secrets: SECRET }) }, async (request) => {
      getSession(request).set("k", 1);
      await getSession(request).save();
      return request.url.endsWith("/redirect") ? Response.redirect("http://x/next", 302) : upstream;
    });
    const redirect = await handler(new Request("http://x/redirect"));
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("Location")).toBe("http://x/next");
    expect(setCookieFor(redirect, "session")).toBeDefined();
    const proxied = await handler(new Request("http://x/upstream"));
    expect(setCookieFor(proxied, "session")).toBeDefined();
    expect(await proxied.text()).toBe("upstream");
  });

  it("finds sessions by name, and explains when it cannot", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const errors: unknown[] = [];
    const handler = withSessions({ names: ["a", "b"], store }, async (request) => {
      for (const attempt of [() => getSession(request), () => getSession(request, "c")]) {
        try {
          attempt();
        } catch (error) {
          errors.push(error);
        }
      }
      return Response.json([getSession(request, "a").name, getSession(request, "b").name]);
    });
    expect(await (await handler(new Request("http://x/"))).json()).toEqual(["a", "b"]);
    expect(errors).toEqual([code("ERR_SESSION_MISSING"), code("ERR_SESSION_MISSING")]);
    expect((errors[0] as Error).message).toContain("several sessions are configured (a, b)");
    expect(() => getSession(new Request("http://x/"))).toThrow(code("ERR_SESSION_MISSING"));
  });

  it("lets nested wrappers add their sessions to the same request", async () => {
    const inner = withSessions({ name: "b", store: new MemoryStore({ secrets: SECRET }) }, async (request) =>
      Response.json([getSession(request, "a").name, getSession(request, "b").name]),
    );
    const outer = withSessions({ name: "a", store: new CookieStore({ secrets: SECRET }) }, inner);
    expect(await (await outer(new Request("http://x/"))).json()).toEqual(["a", "b"]);
  });

  it.each<[string, Partial<SessionsConfig>]>([
    ["no store", { store: undefined as unknown as Store }],
    ["empty names", { names: [] }],
    ["duplicate names", { names: ["a", "a"] }],
    ["a bad name", { name: "a b" }],
    ["__Host- with a domain", { name: "__Host-s", cookie: { domain: "example.com" } }],
    ["__Secure- without secure", { name: "__Secure-s", cookie: { secure: false } }],
    ["a zero maxAge", { cookie: { maxAge: 0 } }],
    ["a negative absoluteMaxAge", { absoluteMaxAge: -5 }],
    ["a path with attributes in it", { cookie: { path: "/a;Domain=example.com" } }],
    ["a domain with attributes in it", { cookie: { domain: "example.com;Max-Age=31536000" } }],
    ["an onError that is not a function", { onError: "500" as never }],
  ])("refuses %s when built, with ERR_SESSION_CONFIG", (_, config) => {
    expect(() => withSessions({ store: new MemoryStore({ secrets: SECRET }), ...config }, () => new Response())).toThrow(
      code("ERR_SESSION_CONFIG"),
    );
  });

  it("refuses a path from the request URL that would inject attributes, in session.options()", async () => {
    const errors: unknown[] = [];
    const handler = withSessions({ store: new MemoryStore({ secrets: SECRET }) }, async (request) => {
      const session = getSession(request);
      try {
        session.options({ path: decodeURIComponent(new URL(request.url).pathname) });
      } catch (error) {
        errors.push(error);
      }
      session.set("k", 1);
      await session.save();
      return new Response("ok");
    });
    const response = await handler(new Request("http://x/a;Domain=example.com;Max-Age=31536000"));
    expect(errors).toEqual([code("ERR_SESSION_CONFIG")]);
    expect(setCookieFor(response, "session")).toMatch(/; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it("refuses data that JSON cannot hold, with ERR_SESSION_DATA", async () => {
    const handler = withSessions({ store: new MemoryStore({ secrets: SECRET }) }, async (request) => {
      getSession(request).set("big", 10n);
      await getSession(request).save();
      return new Response("saved");
    });
    await expect(handler(new Request("http://x/"))).rejects.toThrow(code("ERR_SESSION_DATA"));
  });
});

describe("lazy", () => {
  /** Counts the loads that reach the store. */
  class CountingStore extends MemoryStore {
    loads = 0;
    override load(name: string, value: string) {
      this.loads++;
      return super.load(name, value);
    }
  }

  it("loads a session only when loadSession() asks, once per request", async () => {
    const store = new CountingStore({ secrets: SECRET });
    const handler = withSessions({ store, lazy: true }, async (request) => {
      if (new URL(request.url).pathname === "/health") return new Response("ok");
      expect(() => getSession(request)).toThrow(code("ERR_SESSION_MISSING"));
      const session = await loadSession<{ count: number }>(request);
      expect(await loadSession(request)).toBe(session);
      expect(getSession(request)).toBe(session);
      session.set("count", (session.get("count") ?? 0) + 1);
      await session.save();
      return Response.json({ count: session.get("count") });
    });
    const b = new TestBrowser(handler);
    expect(await b.json("/incr")).toEqual({ count: 1 });
    expect(store.loads).toBe(0); // no cookie yet: nothing to load
    expect(await (await b.fetch("/health")).text()).toBe("ok");
    expect(store.loads).toBe(0);
    expect(await b.json("/incr")).toEqual({ count: 2 });
    expect(store.loads).toBe(1);
  });

  it("loadSession() rejects with ERR_SESSION_MISSING outside the wrapper or for an unknown name", async () => {
    await expect(loadSession(new Request("http://x/"))).rejects.toThrow(code("ERR_SESSION_MISSING"));
    const handler = withSessions({ store: new MemoryStore({ secrets: SECRET }) }, async (request) => {
      await expect(loadSession(request, "other")).rejects.toThrow(code("ERR_SESSION_MISSING"));
      return new Response((await loadSession(request)).isNew ? "new" : "old");
    });
    expect(await (await handler(new Request("http://x/"))).text()).toBe("new");
  });
});

describe("store failures are never silent", () => {
  it("a failing load rejects with ERR_SESSION_STORE and keeps the cause", async () => {
    const store = new FlakyStore();
    const handler = counter({ store });
    const b = new TestBrowser(handler);
    await b.json("/incr");
    store.failing = true;
    const failure = await b.fetch("/").catch((error: SessionError) => error);
    expect(failure).toEqual(code("ERR_SESSION_STORE"));
    expect((failure as SessionError).cause).toEqual(new Error("connection refused"));
    store.failing = false;
    expect(await b.json("/")).toEqual({ count: 1 });
  });

  it("a failing save rejects with ERR_SESSION_STORE and sends no cookie", async () => {
    const store = new FlakyStore();
    let saveError: unknown;
    const handler = withSessions({ store }, async (request) => {
      getSession(request).set("k", 1);
      store.failing = true;
      await getSession(request).save().catch((error) => (saveError = error));
      store.failing = false;
      return new Response("answered");
    });
    const response = await handler(new Request("http://x/"));
    expect(saveError).toEqual(code("ERR_SESSION_STORE"));
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });

  it("a failing autoSave or destroy rejects too", async () => {
    const store = new FlakyStore();
    const auto = withSessions({ store, autoSave: true }, async (request) => {
      getSession(request).set("k", 1);
      store.failing = true;
      return new Response("answered");
    });
    await expect(auto(new Request("http://x/"))).rejects.toThrow(code("ERR_SESSION_STORE"));
    store.failing = false;
    const b = new TestBrowser(counter({ store }));
    await b.json("/incr");
    const destroy = withSessions({ store }, async (request) => {
      store.failing = true;
      await getSession(request).destroy();
      return new Response("answered");
    });
    await expect(destroy(new Request("http://x/", { headers: { Cookie: b.cookieHeader() } }))).rejects.toThrow(
      code("ERR_SESSION_STORE"),
    );
  });
});

describe("a handler that throws", () => {
  const boom = new Error("boom");
  // Signs in on /login; /logout destroys the session, /save saves a change, then both throw.
  function app(config: Partial<SessionsConfig> = {}) {
    return withSessions({ store: new CookieStore({ secrets: SECRET }), ...config }, async (request) => {
      const session = getSession<{ user: string; note: string }>(request);
      const path = new URL(request.url).pathname;
      if (path === "/login") {
        session.set("user", "ada");
        await session.save();
        return new Response("signed in");
      }
      if (path === "/logout") await session.destroy();
      if (path === "/save") {
        session.set("note", "saved");
        await session.save();
        session.set("note", "half-done");
      }
      throw boom;
    });
  }
  const onError = (error: unknown) => new Response(error === boom ? "sorry" : "other", { status: 500 });

  it("sends the deleting cookie of a destroy() made before the throw, on the response onError builds", async () => {
    const b = new TestBrowser(app({ onError }));
    await b.fetch("/login");
    const response = await b.fetch("/logout");
    expect([response.status, await response.text()]).toEqual([500, "sorry"]);
    expect(setCookieFor(response, "session")).toMatch(/^session=; Max-Age=0; Path=\/;/);
    expect(b.cookies.has("session")).toBe(false);
    // An error page with immutable headers is copied to carry the cookie.
    const redirecting = new TestBrowser(app({ onError: () => Response.redirect("http://x/oops", 302) }));
    await redirecting.fetch("/login");
    expect(setCookieFor(await redirecting.fetch("/logout"), "session")).toMatch(/^session=; Max-Age=0;/);
  });

  it("sends the cookie of a save() made before the throw, without auto-saving what came after", async () => {
    const b = new TestBrowser(app({ onError, autoSave: true }));
    await b.fetch("/save");
    const check = new TestBrowser(withSessions({ store: new CookieStore({ secrets: SECRET }) }, (request) => Response.json(getSession(request).get("note") ?? null)));
    check.cookies.set("session", b.cookies.get("session")!);
    expect(await check.json("/")).toBe("saved");
  });

  it("hands onError the request, and a load failure too", async () => {
    const store = new FlakyStore();
    const seen: unknown[] = [];
    const handler = withSessions({ store, onError: (error, request) => (seen.push(error, request.url), Response.redirect("http://x/oops", 302)) }, () => new Response("ok"));
    store.failing = true;
    const response = await handler(new Request("http://x/a", { headers: { Cookie: "session=x.1.y.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } }));
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(seen).toEqual([code("ERR_SESSION_STORE"), "http://x/a"]);
  });

  it("without onError rethrows, so the runtime's own error handling sees the error", async () => {
    await expect(app()(new Request("http://x/logout"))).rejects.toBe(boom);
  });
});

describe("expiry", () => {
  afterEach(() => vi.useRealTimers());
  const DAY = 24 * 60 * 60;

  it("rolling refreshes a read-only session once a tenth of maxAge has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    for (const store of [new MemoryStore({ secrets: SECRET }), new CookieStore({ secrets: SECRET })]) {
      const b = new TestBrowser(counter({ store, rolling: true, cookie: { maxAge: 10 * DAY } }));
      await b.json("/incr");
      vi.setSystemTime(Date.now() + 0.5 * DAY * 1000);
      await b.json("/");
      expect(b.lastSetCookies).toEqual([]);
      vi.setSystemTime(Date.now() + 0.6 * DAY * 1000);
      await b.json("/");
      expect(b.lastSetCookies[0]).toMatch(/Max-Age=864000;/);
      // Past the first cookie's expiry, the refreshed one still holds the session.
      vi.setSystemTime(Date.now() + 9.5 * DAY * 1000);
      expect(await b.json("/")).toEqual({ count: 1 });
    }
  });

  it("without rolling a read-only session is never rewritten", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const b = new TestBrowser(counter({ cookie: { maxAge: 10 * DAY } }));
    await b.json("/incr");
    vi.setSystemTime(Date.now() + 9 * DAY * 1000);
    await b.json("/");
    expect(b.lastSetCookies).toEqual([]);
    vi.setSystemTime(Date.now() + 1.1 * DAY * 1000);
    expect(await b.json("/")).toEqual({ count: 0 });
  });

  it("absoluteMaxAge caps the life of a session, rolling or not", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const b = new TestBrowser(counter({ rolling: true, absoluteMaxAge: 2 * DAY, cookie: { maxAge: DAY } }));
    await b.json("/incr");
    for (let hours = 0; hours < 44; hours += 4) {
      vi.setSystemTime(Date.now() + 4 * 3600 * 1000);
      expect(await b.json("/incr")).toEqual({ count: hours / 4 + 2 });
    }
    // 45 hours in: the cookie is capped at the 48th hour.
    const maxAge = Number(/Max-Age=(\d+)/.exec(b.lastSetCookies[0]!)![1]);
    expect(maxAge).toBeLessThanOrEqual(4 * 3600);
    vi.setSystemTime(Date.now() + 4 * 3600 * 1000);
    expect(await b.json("/")).toEqual({ count: 0 });
  });
});

describe("duplicated cookies", () => {
  const stores: [string, () => Store][] = [
    ["MemoryStore", () => new MemoryStore({ secrets: SECRET })],
    ["CookieStore", () => new CookieStore({ secrets: SECRET })],
    ["CookieStore (signed)", () => new CookieStore({ secrets: SECRET, encrypt: false })],
  ];
  const OTHER_SECRET = "another-secret-entirely-0123456789abcdef";
  /** The store of the row named `label`, under another secret. */
  const otherSecretOf = (label: string): Store =>
    label === "MemoryStore" ? new MemoryStore({ secrets: OTHER_SECRET }) : new CookieStore({ secrets: OTHER_SECRET, encrypt: label === "CookieStore" });

  // Cookie tossing: a sibling subdomain (or a script) plants values of the same name, sent ahead of
  // the real cookie. Values that cannot be one of ours must not use up the candidates tried.
  it.each(stores)("%s: junk values ahead of the real cookie do not sign the user out", async (_, make) => {
    const b = new TestBrowser(counter({ store: make() }));
    await b.json("/incr");
    const junk = ["x", "", "a.b", "x.1.y.z", "\u00e9", "%00", "a".repeat(3000), "0.0.0.0"].map((value) => `session=${value}`);
    const response = await b.fetch("/", { headers: { Cookie: `${junk.join("; ")}; ${b.cookieHeader()}` } });
    expect(await response.json()).toEqual({ count: 1 });
  });

  /** The store with the values the jar asked it to load recorded, its format check kept. */
  function recording(inner: Store): { store: Store; loaded: string[] } {
    const loaded: string[] = [];
    const store: Store = {
      isWellFormed: (value) => inner.isWellFormed!(value),
      load: (name, value) => (loaded.push(value), inner.load(name, value)),
      save: (name, write) => inner.save(name, write),
      destroy: (name, id) => inner.destroy(name, id),
    };
    return { store, loaded };
  }

  it.each(stores)("%s: review 3, finding 5: four planted values with the right key id and a bad MAC ahead of the real cookie do not sign the user out", async (_, make) => {
    const b = new TestBrowser(counter({ store: make() }));
    await b.json("/incr");
    const real = b.cookies.get("session")!;
    const forged = real.slice(0, -2) + (real.endsWith("AA") ? "BA" : "AA");
    const header = [...Array(4).fill(`session=${forged}`), `session=${real}`].join("; ");
    expect(await (await b.fetch("/", { headers: { Cookie: header } })).json()).toEqual({ count: 1 });
  });

  it.each(stores)("%s: review 3, finding 5: values whose key id names no key of the store are skipped unread and do not count", async (_, make) => {
    const { store, loaded } = recording(make());
    const b = new TestBrowser(counter({ store }));
    await b.json("/incr");
    const real = b.cookies.get("session")!;
    const other = new TestBrowser(counter({ store: otherSecretOf(_) }));
    await other.json("/incr");
    const foreign = other.cookies.get("session")!;
    expect(foreign.split(".")[0]).not.toBe(real.split(".")[0]);
    // Planted ahead of the real one and behind it: only the real one is loaded.
    const header = [...Array(10).fill(`session=${foreign}`), `session=${real}`, `session=${foreign}`].join("; ");
    loaded.length = 0;
    expect(await (await b.fetch("/", { headers: { Cookie: header } })).json()).toEqual({ count: 1 });
    expect(loaded).toEqual([real]);
  });

  it.each(stores)("%s: review 3, finding 5: still bounds the well-formed candidates tried: the first four and the last", async (_, make) => {
    const { store, loaded } = recording(make());
    const b = new TestBrowser(counter({ store }));
    await b.json("/incr");
    const real = b.cookies.get("session")!;
    // Well-formed, of this store's key, but forged: each costs a MAC check or a decrypt.
    const forged = (i: number) => real.slice(0, -3) + String.fromCharCode(65 + (i % 26)) + (real.endsWith("AA") ? "BA" : "AA");
    expect(store.isWellFormed?.(forged(0))).toBe(true);
    const many = Array.from({ length: 100 }, (_, i) => `session=${forged(i)}`);
    loaded.length = 0;
    expect(await (await b.fetch("/", { headers: { Cookie: [...many, `session=${real}`].join("; ") } })).json()).toEqual({ count: 1 });
    expect(loaded).toEqual([forged(0), forged(1), forged(2), forged(3), real]);
    // The last well-formed value, not the last value: junk planted behind the real one changes nothing.
    loaded.length = 0;
    const trailing = [...many, `session=${real}`, "session=junk", "session=x.y"].join("; ");
    expect(await (await b.fetch("/", { headers: { Cookie: trailing } })).json()).toEqual({ count: 1 });
    expect(loaded).toEqual([forged(0), forged(1), forged(2), forged(3), real]);
    // Behind a forged last value, the real one in the middle goes untried: a fresh session, five values checked.
    loaded.length = 0;
    const middle = [...many.slice(0, 50), `session=${real}`, ...many.slice(50)].join("; ");
    expect(await (await b.fetch("/", { headers: { Cookie: middle } })).json()).toEqual({ count: 0 });
    expect(loaded).toEqual([forged(0), forged(1), forged(2), forged(3), forged(99)]);
  });

  it("a store without a format check has every value counted: the first four and the last are tried", async () => {
    const loaded: string[] = [];
    const inner = new MemoryStore({ secrets: SECRET });
    const store: Store = {
      load: (name, value) => (loaded.push(value), inner.load(name, value)),
      save: (name, write) => inner.save(name, write),
      destroy: (name, id) => inner.destroy(name, id),
    };
    const b = new TestBrowser(counter({ store }));
    await b.json("/incr");
    const response = await b.fetch("/", { headers: { Cookie: `session=x; session=y; session=z; session=w; session=v; ${b.cookieHeader()}` } });
    // The first four and then the last: the real one still opens.
    expect(loaded).toEqual(["x", "y", "z", "w", b.cookies.get("session")]);
    expect(await response.json()).toEqual({ count: 1 });
  });
});

describe("per-session path and domain", () => {
  const stores: [string, () => Store][] = [
    ["MemoryStore", () => new MemoryStore({ secrets: SECRET })],
    ["CookieStore", () => new CookieStore({ secrets: SECRET })],
    ["CookieStore (signed)", () => new CookieStore({ secrets: SECRET, encrypt: false })],
  ];
  const RESERVED = "web-sessions:cookie";

  // /place sets path and domain with options(); later requests save, clear or destroy without them.
  function placed(store: Store) {
    const seen: unknown[] = [];
    const handler = withSessions({ store }, async (request) => {
      const session = getSession(request);
      const path = new URL(request.url).pathname;
      if (path === "/app/place") session.options({ path: "/app", domain: "example.com" });
      if (path === "/app/place" || path === "/app/bump") session.set("n", ((session.get("n") as number | undefined) ?? 0) + 1);
      if (path === "/app/clear") session.clear();
      if (path === "/app/destroy") await session.destroy();
      else await session.save();
      seen.push(session.get(RESERVED));
      return Response.json({ n: session.get("n") ?? null });
    });
    return { handler, seen };
  }

  it.each(stores)("%s: destroy() in a later request deletes the cookie where options() put it", async (_, make) => {
    const { handler, seen } = placed(make());
    const b = new TestBrowser(handler);
    await b.fetch("/app/place");
    expect(b.lastSetCookies[0]).toMatch(/; Path=\/app; Domain=example.com;/);
    await b.fetch("/app/destroy");
    expect(b.lastSetCookies).toEqual([expect.stringMatching(/^session=; Max-Age=0; Path=\/app; Domain=example.com;/)]);
    expect(seen).toEqual([undefined, undefined]);
  });

  it.each(stores)("%s: later saves, and a clear(), keep the cookie where options() put it", async (_, make) => {
    const { handler } = placed(make());
    const b = new TestBrowser(handler);
    await b.fetch("/app/place");
    expect(await b.json("/app/bump")).toEqual({ n: 2 });
    expect(b.lastSetCookies[0]).toMatch(/; Path=\/app; Domain=example.com;/);
    expect(await b.json("/app/clear")).toEqual({ n: null });
    expect(b.lastSetCookies[0]).toMatch(/; Path=\/app; Domain=example.com;/);
    await b.fetch("/app/destroy");
    expect(b.lastSetCookies[0]).toMatch(/^session=; Max-Age=0; Path=\/app; Domain=example.com;/);
  });

  it.each(stores)("%s: remember me left unticked: a browser-session cookie on every later save, deleted with Max-Age=0", async (_, make) => {
    const handler = withSessions({ store: make() }, async (request) => {
      const session = getSession(request);
      const path = new URL(request.url).pathname;
      if (path === "/login") {
        await session.regenerate();
        session.options({ persistent: false });
      }
      if (path === "/logout") await session.destroy();
      else {
        session.set("n", ((session.get("n") as number | undefined) ?? 0) + 1);
        await session.save();
      }
      return Response.json({ n: session.get("n") ?? null });
    });
    const b = new TestBrowser(handler);
    await b.fetch("/login");
    expect(b.lastSetCookies).toEqual([expect.stringMatching(/^session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/)]);
    expect(await b.json("/bump")).toEqual({ n: 2 });
    expect(b.lastSetCookies).toEqual([expect.stringMatching(/^session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/)]);
    await b.fetch("/logout");
    expect(b.lastSetCookies).toEqual([expect.stringMatching(/^session=; Max-Age=0; Path=\/;/)]);
  });

  it("a chunked browser-session cookie: no chunk carries a lifetime, the chunks it drops are deleted", async () => {
    const handler = withSessions({ store: new CookieStore({ secrets: SECRET, chunks: 3 }), cookie: { persistent: false } }, async (request) => {
      const session = getSession(request);
      session.set("blob", new URL(request.url).pathname === "/big" ? "x".repeat(6000) : "small");
      await session.save();
      return Response.json({});
    });
    const b = new TestBrowser(handler);
    await b.fetch("/big");
    const chunks = b.lastSetCookies.length;
    expect(chunks).toBeGreaterThan(1);
    for (const line of b.lastSetCookies) expect(line).not.toMatch(/Max-Age|Expires/);
    await b.fetch("/small");
    expect(b.lastSetCookies[0]).not.toMatch(/Max-Age|Expires/);
    const dropped = Array.from({ length: chunks - 1 }, (_, i) => expect.stringMatching(new RegExp(`^session\\.${i + 1}=; Max-Age=0;`)));
    expect(b.lastSetCookies.slice(1)).toEqual(dropped);
  });

  it("keeps the stored placement out of the session's data", async () => {
    const errors: unknown[] = [];
    const handler = withSessions({ store: new MemoryStore({ secrets: SECRET }) }, async (request) => {
      const session = getSession(request);
      session.options({ path: "/app" });
      for (const attempt of [() => session.set(RESERVED, 1), () => session.delete(RESERVED), () => session.addFlash(1, RESERVED), () => session.flashes(RESERVED)]) {
        try {
          attempt();
        } catch (error) {
          errors.push(error);
        }
      }
      const before = session.get(RESERVED);
      session.clear(); // nothing of the app's to clear: not a change
      return Response.json({ before: before ?? null });
    });
    expect(await (await handler(new Request("http://x/"))).json()).toEqual({ before: null });
    expect(errors).toEqual(Array(4).fill(code("ERR_SESSION_DATA")));
  });
});

/** A real fetch() response, whose headers are immutable. */
async function fetchLikeResponse(): Promise<Response> {
  const server = createServer((_, res) => res.end("upstream"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(() => response.headers.append("x", "y")).toThrow(TypeError);
    return response;
  } finally {
    server.close();
  }
}

describe("a request's jars", () => {
  const jarOf = async (names: string[]) => SessionJar.open(resolveSettings({ store: new MemoryStore({ secrets: SECRET }), names }, "test"), null);

  it("keeps one middleware's jar as it is, and adds later ones by name (the later wins a name)", async () => {
    const a = await jarOf(["a"]);
    const bc = await jarOf(["b", "c"]);
    const again = await jarOf(["a"]);
    expect(addJar(undefined, a)).toBe(a);
    const jars = addJar(addJar(addJar(undefined, a), bc), again);
    expect(pickJar(jars, "a")).toEqual([again, "a"]);
    expect(pickJar(jars, "c")).toEqual([bc, "c"]);
    expect(pickJar(addJar(a, bc), "a")).toEqual([a, "a"]);
  });

  it("picks the only session without a name, and refuses an unknown name or no name among several", async () => {
    const a = await jarOf(["a"]);
    const bc = await jarOf(["b", "c"]);
    expect(pickJar(a, undefined)).toEqual([a, "a"]);
    expect(pickJar(a, "a")).toEqual([a, "a"]);
    expect(() => pickJar(a, "b")).toThrow(code("ERR_SESSION_MISSING"));
    expect(() => pickJar(a, "b")).toThrow('no session named "b" is configured');
    expect(() => pickJar(bc, undefined)).toThrow("several sessions are configured (b, c): name one");
    expect(() => pickJar(addJar(a, bc), undefined)).toThrow("several sessions are configured (a, b, c): name one");
    expect(() => pickJar(addJar(a, bc), "d")).toThrow('no session named "d" is configured');
    expect(() => pickJar(undefined, "a")).toThrow("no session middleware ran for this request");
  });
});

describe("the jar at its edges", () => {
  afterEach(() => vi.useRealTimers());

  /** A store that hands back what a test decides: `loaded` from load, `value` from save. */
  class StubStore implements Store {
    loaded: StoredSession | undefined;
    value: string | undefined = "v";
    saves = 0;
    destroyed: string[] = [];
    async load() {
      return this.loaded;
    }
    async save() {
      this.saves++;
      return this.value;
    }
    async destroy(_: string, id: string) {
      this.destroyed.push(id);
    }
  }

  const readOnly = (config: Partial<SessionsConfig>) =>
    withSessions({ store: new MemoryStore({ secrets: SECRET }), ...config }, (request) =>
      Response.json(getSession(request).get("count") ?? null),
    );

  it("refuses a missing store, duplicate names and an absoluteMaxAge of 0 when the wrapper is built", () => {
    const ok = () => new Response();
    expect(() => withSessions({ store: {} as Store }, ok)).toThrow(code("ERR_SESSION_CONFIG"));
    expect(() => withSessions({ store: new MemoryStore({ secrets: SECRET }), names: ["a", "a"] }, ok)).toThrow(/names must be distinct/);
    expect(() => withSessions({ store: new MemoryStore({ secrets: SECRET }), absoluteMaxAge: 0 }, ok)).toThrow(code("ERR_SESSION_CONFIG"));
  });

  it("writes nothing for a new session only read, with autoSave or rolling", async () => {
    for (const config of [{ autoSave: true }, { rolling: true }, { autoSave: true, rolling: true }]) {
      const store = new MemoryStore({ secrets: SECRET });
      const response = await readOnly({ store, ...config })(new Request("http://x/"));
      expect([config, response.headers.getSetCookie(), store.size]).toEqual([config, [], 0]);
    }
  });

  it("with autoSave but not rolling, never refreshes a read-only session", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = new MemoryStore({ secrets: SECRET });
    const b = new TestBrowser(counter({ store, autoSave: true, cookie: { maxAge: 100 } }));
    await b.json("/incr");
    vi.setSystemTime(Date.now() + 50_000);
    expect(await b.json("/")).toEqual({ count: 1 });
    expect(b.lastSetCookies).toEqual([]);
  });

  it("rolling refreshes once exactly a tenth of maxAge has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const b = new TestBrowser(counter({ rolling: true, cookie: { maxAge: 100 } }));
    await b.json("/incr");
    vi.setSystemTime(Date.now() + 9_999);
    await b.json("/");
    expect(b.lastSetCookies).toEqual([]);
    vi.setSystemTime(Date.now() + 1);
    await b.json("/");
    expect(b.lastSetCookies).toEqual([expect.stringMatching(/^session=.+; Max-Age=100;/)]);
  });

  it("a session is over when exactly absoluteMaxAge has passed since it was created", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = new StubStore();
    const handler = withSessions({ store, absoluteMaxAge: 10 }, (request) => Response.json(getSession(request).get("k") ?? null));
    const loaded = (createdAt: number) => ({ id: "stored-id", data: new Map([["k", 1]]), createdAt, expiresAt: Date.now() + 60_000 });
    store.loaded = loaded(Date.now() - 9_999);
    expect(await (await handler(new Request("http://x/", { headers: { Cookie: "session=v" } }))).json()).toBe(1);
    store.loaded = loaded(Date.now() - 10_000);
    expect(await (await handler(new Request("http://x/", { headers: { Cookie: "session=v" } }))).json()).toBeNull();
  });

  it("a save at the very end of absoluteMaxAge destroys the session instead", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = new MemoryStore({ secrets: SECRET });
    for (const past of [0, 1_000]) {
      const handler = withSessions({ store, absoluteMaxAge: 10 }, async (request) => {
        const session = getSession(request);
        session.set("k", 1);
        vi.setSystemTime(Date.now() + 10_000 + past);
        await session.save();
        return Response.json(session.isNew);
      });
      const response = await handler(new Request("http://x/"));
      expect([past, await response.json(), setCookieFor(response, "session"), store.size]).toEqual([past, true, "session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax", 0]);
    }
  });

  it("keeps one cookie within 4096 bytes of name and value, and says how big it would be past that", async () => {
    const store = new StubStore();
    const handler = withSessions({ store, name: "s" }, async (request) => {
      const session = getSession(request);
      session.set("k", 1);
      try {
        await session.save();
      } catch (error) {
        return new Response((error as SessionError).message, { status: 413 });
      }
      return new Response("saved");
    });
    store.value = "v".repeat(4096 - 2);
    const fits = await handler(new Request("http://x/"));
    expect([fits.status, setCookieFor(fits, "s")!.split(";")[0]!.length]).toEqual([200, 4096]);
    store.value = "v".repeat(4096 - 1);
    const over = await handler(new Request("http://x/"));
    expect([over.status, await over.text(), over.headers.getSetCookie()]).toEqual([
      413,
      expect.stringContaining("the \"s\" cookie would be 4097 bytes"),
      [],
    ]);
  });

  it("a session the store no longer holds is dropped at save: no cookie, a new empty session", async () => {
    const store = new StubStore();
    store.loaded = { id: "stored-id", data: new Map([["k", 1]]), createdAt: Date.now(), expiresAt: Date.now() + 60_000 };
    const handler = withSessions({ store }, async (request) => {
      const session = getSession(request);
      session.set("k", 2);
      store.value = "first";
      await session.save();
      session.set("k", 3);
      store.value = undefined; // another request destroyed it meanwhile
      await session.save();
      return Response.json({ isNew: session.isNew, k: session.get("k") ?? null, same: session.id === "stored-id" });
    });
    const response = await handler(new Request("http://x/", { headers: { Cookie: "session=v" } }));
    expect(await response.json()).toEqual({ isNew: true, k: null, same: false });
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("destroying a chunked session leaves alone another session named like a chunk past its last", async () => {
    const store = new CookieStore({ secrets: SECRET, chunks: 3 });
    const handler = withSessions({ store, names: ["s", "s.3"] }, async (request) => {
      const url = new URL(request.url);
      for (const name of ["s", "s.3"]) {
        if (url.pathname === "/save") getSession(request, name).set("k", name);
        if (url.pathname === "/save") await getSession(request, name).save();
      }
      if (url.pathname === "/destroy") await getSession(request, "s").destroy();
      return Response.json(getSession(request, "s.3").get("k") ?? null);
    });
    const b = new TestBrowser(handler);
    await b.fetch("/save");
    const response = await b.fetch("/destroy");
    expect(response.headers.getSetCookie().map((line) => line.split("=")[0])).toEqual(["s"]);
    expect(await b.json("/")).toBe("s.3");
  });
});
