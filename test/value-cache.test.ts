import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getSession, manySessions, sessions } from "../adapters/hono.ts";
import type { SessionsOptions } from "../src/jar.ts";
import type { Store } from "../src/store.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import { Codec } from "../src/codec.ts";
import { ValueCache } from "../src/value-cache.ts";
import { OLD_SECRET, SECRET, TestBrowser } from "./support/browser.ts";
import { ownerWrite } from "./support/session-write.ts";

const LATER = Date.now() + 60_000;

describe("ValueCache", () => {
  it("hands back what was put in, for the same cookie name only", () => {
    const cache = new ValueCache(10);
    cache.set("session", "v1", "text one", LATER);
    expect(cache.get("session", "v1")).toEqual({ text: "text one", expiresAt: LATER });
    expect(cache.get("other", "v1")).toBeUndefined();
    expect(cache.get("session", "v2")).toBeUndefined();
  });

  it("drops an entry once it has expired", () => {
    const cache = new ValueCache(10);
    cache.set("session", "v1", "text", 1000);
    expect(cache.get("session", "v1", 999)?.text).toBe("text");
    expect(cache.get("session", "v1", 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get("session", "v1", 0)).toBeUndefined();
  });

  it("holds at most maxEntries, dropping the least recently used", () => {
    const cache = new ValueCache(3);
    for (const value of ["a", "b", "c"]) cache.set("s", value, value, LATER);
    cache.get("s", "a"); // now b is the least recently used
    cache.set("s", "d", "d", LATER);
    expect(cache.size).toBe(3);
    expect(cache.get("s", "b")).toBeUndefined();
    for (const value of ["a", "c", "d"]) expect(cache.get("s", value)?.text).toBe(value);
    // After a..d were read in that order, a is the oldest again.
    cache.set("s", "e", "e", LATER);
    expect(cache.get("s", "a")).toBeUndefined();
    expect([..."cde"].map((value) => cache.get("s", value)?.text)).toEqual([..."cde"]);
  });

  it("review 3, hardening: holds at most maxBytes of values and texts (2 bytes a character), dropping the least recently used", () => {
    const cache = new ValueCache(1000, 1000);
    // Each entry: a 50-character value and a 50-character text, 200 bytes.
    const value = (i: number) => `${i}`.padStart(50, "v");
    for (let i = 0; i < 5; i++) cache.set("s", value(i), "t".repeat(50), LATER);
    expect(cache.size).toBe(5);
    expect(cache.bytes).toBe(1000);
    cache.get("s", value(0)); // now 1 is the least recently used
    cache.set("s", value(5), "t".repeat(50), LATER);
    expect(cache.size).toBe(5);
    expect(cache.get("s", value(1))).toBeUndefined();
    for (const i of [0, 2, 3, 4, 5]) expect(cache.get("s", value(i))?.text).toBe("t".repeat(50));
    // A larger entry pushes out as many as it needs; replacing an entry's text counts the new size.
    cache.set("s", value(6), "t".repeat(250), LATER);
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(1000);
    cache.set("s", value(6), "t", LATER);
    expect(cache.bytes).toBe(502);
    // One entry of exactly the whole budget is held, alone.
    const whole = new ValueCache(10, 200);
    whole.set("s", value(0), "t".repeat(50), LATER);
    expect([whole.size, whole.bytes, whole.get("s", value(0))?.text]).toEqual([1, 200, "t".repeat(50)]);
    // One entry over the whole budget is not held, and pushes nothing out.
    cache.set("s", value(7), "t".repeat(451), LATER);
    expect(cache.get("s", value(7))).toBeUndefined();
    expect(cache.size).toBe(3);
    // A value held before and now too large goes.
    cache.set("s", value(6), "t".repeat(451), LATER);
    expect(cache.get("s", value(6))).toBeUndefined();
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(400);
    // Expired and evicted entries give their bytes back.
    expect(cache.get("s", value(4), LATER)).toBeUndefined();
    expect(cache.bytes).toBe(200);
  });

  it("stays bounded and consistent through many inserts, hits and expiries", () => {
    const cache = new ValueCache(50);
    const live = new Map<string, number>();
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      now += 1;
      const value = `v${i % 173}`;
      if (i % 3 === 0) cache.set("s", value, value, now + (i % 7) * 10);
      else cache.get("s", value, now);
      expect(cache.size).toBeLessThanOrEqual(50);
      live.set(value, now);
    }
    // Whatever it still holds opens to itself.
    let held = 0;
    for (const value of live.keys()) {
      const hit = cache.get("s", value, now);
      if (hit) {
        held++;
        expect(hit.text).toBe(value);
      }
    }
    expect(held).toBeLessThanOrEqual(50);
  });

  it("keeps the recency order through expiries, hits and replacements, as a plain LRU would", () => {
    // A reference LRU: a Map in recency order, oldest first. The values are shorter than the tail
    // the cache keys on, so each is its own key.
    const model = new Map<string, { text: string; expiresAt: number }>();
    const cache = new ValueCache(4);
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let now = 1; now <= 3000; now++) {
      const value = `v${next(7)}`;
      if (next(2) === 0) {
        const entry = { text: `${value}@${now}`, expiresAt: now + 1 + next(12) };
        cache.set("s", value, entry.text, entry.expiresAt);
        model.delete(value);
        model.set(value, entry);
        if (model.size > 4) model.delete(model.keys().next().value!);
      } else {
        const held = model.get(value);
        model.delete(value);
        const expected = held && held.expiresAt > now ? held : undefined;
        if (expected) model.set(value, expected);
        expect(cache.get("s", value, now)).toEqual(expected);
      }
      expect(cache.size).toBe(model.size);
    }
  });

  it("keys a value of 23 to 43 characters on its last 22", () => {
    const cache = new ValueCache(10);
    const a = "A".repeat(30);
    const b = `${"A".repeat(10)}B${"A".repeat(19)}`; // the same from character 22 on, not in its last 22
    cache.set("s", a, "a", LATER);
    cache.set("s", b, "b", LATER);
    expect(cache.size).toBe(2);
    expect([cache.get("s", a)?.text, cache.get("s", b)?.text]).toEqual(["a", "b"]);
  });

  it("after has(), get() answers only for that value, and not once it was dropped", () => {
    const cache = new ValueCache(2);
    cache.set("s", "a", "text a", LATER);
    cache.set("s", "b", "text b", LATER);
    expect(cache.has("a")).toBe(true);
    expect(cache.get("s", "b")?.text).toBe("text b");
    expect(cache.get("other", "a")).toBeUndefined();
    expect(cache.has("a")).toBe(true);
    // "a" is the least recently used: a new entry pushes it out between has() and get().
    cache.set("s", "c", "text c", LATER);
    expect(cache.get("s", "a")).toBeUndefined();
    expect(cache.size).toBe(2);
    expect(cache.has("b")).toBe(true);
    expect(cache.get("s", "b", LATER)).toBeUndefined();
    // The expired entry went with its recency link: the list still holds c alone, in order.
    cache.set("s", "d", "text d", LATER);
    cache.set("s", "e", "text e", LATER);
    expect(["c", "d", "e"].map((value) => cache.get("s", value)?.text)).toEqual([undefined, "text d", "text e"]);
  });

  it("replaces the entry of a value put in twice", () => {
    const cache = new ValueCache(2);
    cache.set("s", "v", "old", LATER);
    cache.set("s", "v", "new", LATER + 1);
    expect(cache.size).toBe(1);
    expect(cache.get("s", "v")).toEqual({ text: "new", expiresAt: LATER + 1 });
  });
});

// ---------------------------------------------------------------------------------------------
// Through the stores: what a hit saves and what it must still check.

type Counts = { decrypt: number; verify: number; encrypt: number; sign: number };

/** Counts WebCrypto's cipher and MAC calls (a spy that still calls through): what the cache skips. */
function countSubtle(): { counts: Counts; restore(): void } {
  const counts: Counts = { decrypt: 0, verify: 0, encrypt: 0, sign: 0 };
  const spies = (Object.keys(counts) as (keyof Counts)[]).map((method) => {
    const original = crypto.subtle[method].bind(crypto.subtle) as (...args: unknown[]) => unknown;
    return vi.spyOn(crypto.subtle, method).mockImplementation(((...args: unknown[]) => {
      counts[method]++;
      return original(...args);
    }) as never);
  });
  return { counts, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

/** POST /login writes a profile; GET / reads it (no save); POST /count adds one and saves. */
function app(store: Store, options: SessionsOptions = {}) {
  const hono = new Hono();
  hono.use(sessions("session", store, options));
  hono.post("/login", async (c) => {
    const session = getSession(c);
    session.set("user", "ada");
    session.set("roles", ["admin", "editor"]);
    session.set("count", 0);
    await session.save();
    return c.text("ok");
  });
  hono.get("/", (c) => {
    const session = getSession(c);
    return c.json({ isNew: session.isNew, user: session.get("user") ?? null, roles: session.get("roles") ?? null, count: session.get("count") ?? null });
  });
  hono.post("/mutate", (c) => {
    // Changes the loaded data in place and saves nothing: must not reach the next request.
    (getSession(c).get("roles") as string[]).push("root");
    return c.json({ roles: getSession(c).get("roles") });
  });
  hono.post("/count", async (c) => {
    const session = getSession(c);
    session.set("count", (session.get("count") as number) + 1);
    await session.save();
    return c.json({ count: session.get("count") });
  });
  return new TestBrowser((request) => hono.fetch(request));
}

let subtle: ReturnType<typeof countSubtle>;
beforeEach(() => {
  subtle = countSubtle();
});
afterEach(() => {
  subtle.restore();
  vi.useRealTimers();
});

describe("CookieStore with the opened-value cache", () => {
  it("refuses a cache size that is not a whole number of entries", () => {
    for (const cache of [-1, 1.5, Number.NaN]) {
      expect(() => new CookieStore({ secrets: SECRET, cache })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    }
  });

  for (const encrypt of [true, false]) {
    const open = encrypt ? "decrypt" : "verify";
    it(`opens a value it sealed without WebCrypto (${encrypt ? "encrypted" : "signed"}), and the session comes back whole`, async () => {
      const browser = app(new CookieStore({ secrets: SECRET, encrypt }));
      await browser.fetch("/login", { method: "POST" });
      for (let i = 0; i < 5; i++) {
        expect(await browser.json("/")).toEqual({ isNew: false, user: "ada", roles: ["admin", "editor"], count: 0 });
      }
      expect(subtle.counts[open]).toBe(0);
      // Read, add one, save: the next request carries the new value, which is a hit again.
      for (let i = 1; i <= 3; i++) expect(await browser.json("/count", { method: "POST" })).toEqual({ count: i });
      expect(subtle.counts[open]).toBe(0);
      expect(subtle.counts[encrypt ? "encrypt" : "sign"]).toBe(4);
    });

    it(`with cache: 0 opens every value with WebCrypto (${encrypt ? "encrypted" : "signed"})`, async () => {
      const browser = app(new CookieStore({ secrets: SECRET, encrypt, cache: 0 }));
      await browser.fetch("/login", { method: "POST" });
      for (let i = 0; i < 5; i++) expect((await browser.json("/")).user).toBe("ada");
      expect(subtle.counts[open]).toBe(5);
    });
  }

  it("opens a value another instance sealed once with WebCrypto, then from the cache", async () => {
    const sealer = app(new CookieStore({ secrets: SECRET }));
    await sealer.fetch("/login", { method: "POST" });
    const reader = app(new CookieStore({ secrets: SECRET }));
    for (let i = 0; i < 4; i++) expect((await reader.json("/", { headers: { Cookie: sealer.cookieHeader() } })).user).toBe("ada");
    expect(subtle.counts.decrypt).toBe(1);
  });

  it("opens a chunked session from the cache too: the chunks join into the value it sealed", async () => {
    const store = new CookieStore({ secrets: SECRET, chunks: 3 });
    const hono = new Hono();
    hono.use(sessions("session", store));
    hono.post("/login", async (c) => {
      getSession(c).set("notes", "n".repeat(6000));
      await getSession(c).save();
      return c.text("ok");
    });
    hono.get("/", (c) => c.json({ length: (getSession(c).get("notes") as string | undefined)?.length ?? 0 }));
    const browser = new TestBrowser((request) => hono.fetch(request));
    await browser.fetch("/login", { method: "POST" });
    expect(browser.cookies.size).toBeGreaterThan(1);
    for (let i = 0; i < 3; i++) expect(await browser.json("/")).toEqual({ length: 6000 });
    expect(subtle.counts.decrypt).toBe(0);
  });

  it("gives each request its own copy of the data", async () => {
    const browser = app(new CookieStore({ secrets: SECRET }));
    await browser.fetch("/login", { method: "POST" });
    expect(await browser.json("/mutate", { method: "POST" })).toEqual({ roles: ["admin", "editor", "root"] });
    expect((await browser.json("/")).roles).toEqual(["admin", "editor"]);
    expect(subtle.counts.decrypt).toBe(0);
  });

  it("gives every hit its own copy, kept from the first parse: nested objects and arrays, a __proto__ key, and values nested past the copy's depth", async () => {
    const store = new CookieStore({ secrets: SECRET });
    const deep: unknown = JSON.parse(`${"[".repeat(12)}"bottom"${"]".repeat(12)}`);
    const data = new Map<string, unknown>([
      ["roles", ["admin", "editor"]],
      ["prefs", { theme: "dark", tabs: [{ pinned: true }] }],
      ["proto", JSON.parse('{"__proto__": {"polluted": true}, "kept": 1}')],
      ["n", 1],
    ]);
    const value = await store.save("session", ownerWrite("id-1", "ada", { data }));
    const expected = {
      roles: ["admin", "editor"],
      prefs: { theme: "dark", tabs: [{ pinned: true }] },
      proto: JSON.parse('{"__proto__": {"polluted": true}, "kept": 1}'),
      n: 1,
    };
    for (let hit = 0; hit < 3; hit++) {
      const loaded = (await store.load("session", value))!;
      expect(Object.fromEntries(loaded.data)).toStrictEqual(expected);
      const proto = loaded.data.get("proto") as Record<string, unknown>;
      expect(Object.keys(proto)).toEqual(["__proto__", "kept"]);
      expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
      // An ordinary own property, as JSON.parse makes it: writable and deletable (this is strict code).
      proto["__proto__"] = "changed";
      expect(Object.getOwnPropertyDescriptor(proto, "__proto__")?.value).toBe("changed");
      delete proto["__proto__"];
      expect(Object.keys(proto)).toEqual(["kept"]);
      // Changed in place by this request: none of it may reach the next hit.
      (loaded.data.get("roles") as string[]).push("root");
      ((loaded.data.get("prefs") as { tabs: { pinned: boolean }[] }).tabs[0]!).pinned = false;
      proto.kept = 2;
      loaded.data.set("n", 2);
    }
    const withDeep = await store.save("session", ownerWrite("id-2", "ada", { data: new Map([["deep", deep]]) }));
    for (let hit = 0; hit < 3; hit++) {
      const loaded = (await store.load("session", withDeep))!;
      expect(loaded.data.get("deep")).toEqual(deep);
      let inner = loaded.data.get("deep") as unknown[];
      while (Array.isArray(inner[0])) inner = inner[0] as unknown[];
      inner[0] = "changed";
    }
    expect(subtle.counts.decrypt).toBe(0);
  });

  it("parses a value's JSON twice: from the third read on, hits copy the session kept at the second, for values it sealed and values it opened", async () => {
    const parse = vi.spyOn(JSON, "parse");
    try {
      // Arrays, then objects, nested `levels` deep, beside a shallow sibling at every level.
      const nested = (levels: number): unknown => (levels === 0 ? "leaf" : levels % 2 ? ["leaf", nested(levels - 1)] : { leaf: 1, inner: nested(levels - 1) });
      for (const encrypt of [true, false]) {
        const sealer = new CookieStore({ secrets: SECRET, encrypt });
        const reader = new CookieStore({ secrets: SECRET, encrypt });
        // Eight levels are copied; a ninth is past the copy's depth and parsed every time.
        for (const [levels, parsesInThreeHits] of [
          [8, 1],
          [9, 3],
        ] as const) {
          const value = await sealer.save("session", ownerWrite(`id-${levels}`, "ada", { data: new Map([["deep", nested(levels)], ["roles", ["admin"]]]) }));
          for (const store of [sealer, reader]) {
            parse.mockClear();
            // The first load parses (for the reader, after opening the value with WebCrypto).
            expect((await store.load("session", value))?.data.get("deep")).toEqual(nested(levels));
            expect(parse).toHaveBeenCalledTimes(1);
            parse.mockClear();
            // The second read parses again and keeps the session; the later ones copy it.
            for (let hit = 0; hit < 3; hit++) expect((await store.load("session", value))?.data.get("roles")).toEqual(["admin"]);
            expect(parse).toHaveBeenCalledTimes(parsesInThreeHits);
          }
        }
      }
    } finally {
      parse.mockRestore();
    }
  });

  it("still refuses a value on a hit once it has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const browser = app(new CookieStore({ secrets: SECRET, cookie: { maxAge: 60 } }));
    await browser.fetch("/login", { method: "POST" });
    const cookie = browser.cookieHeader();
    vi.setSystemTime(Date.now() + 59_000);
    expect((await browser.json("/", { headers: { Cookie: cookie } })).isNew).toBe(false);
    vi.setSystemTime(Date.now() + 2_000);
    expect(await browser.json("/", { headers: { Cookie: cookie } })).toMatchObject({ isNew: true, user: null });
  });

  it("still applies the absolute lifetime on a hit", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    // One store, two middlewares: the cookie is sealed for 30 days, the reader caps sessions at an hour.
    const store = new CookieStore({ secrets: SECRET });
    const writer = app(store);
    await writer.fetch("/login", { method: "POST" });
    const reader = app(store, { absoluteMaxAge: 3600 });
    const cookie = writer.cookieHeader();
    vi.setSystemTime(Date.now() + 3500_000);
    expect((await reader.json("/", { headers: { Cookie: cookie } })).user).toBe("ada");
    vi.setSystemTime(Date.now() + 200_000);
    expect(await reader.json("/", { headers: { Cookie: cookie } })).toMatchObject({ isNew: true, user: null });
    expect((await writer.json("/", { headers: { Cookie: cookie } })).user).toBe("ada");
    expect(subtle.counts.decrypt).toBe(0);
  });

  it("holds at most `cache` values: an evicted one is opened with WebCrypto again", async () => {
    const store = new CookieStore({ secrets: SECRET, cache: 2 });
    const browsers = [app(store), app(store), app(store)];
    for (const browser of browsers) await browser.fetch("/login", { method: "POST" });
    // The first value was pushed out by the other two.
    expect((await browsers[1]!.json("/")).user).toBe("ada");
    expect((await browsers[2]!.json("/")).user).toBe("ada");
    expect(subtle.counts.decrypt).toBe(0);
    expect((await browsers[0]!.json("/")).user).toBe("ada");
    expect(subtle.counts.decrypt).toBe(1);
    // Opening it put it back in, pushing out the least recently used (browsers[1]'s).
    expect((await browsers[0]!.json("/")).user).toBe("ada");
    expect((await browsers[2]!.json("/")).user).toBe("ada");
    expect(subtle.counts.decrypt).toBe(1);
    expect((await browsers[1]!.json("/")).user).toBe("ada");
    expect(subtle.counts.decrypt).toBe(2);
  });

  it("review 3, hardening: holds at most 4 MiB of values whatever `cache` says: sessions of 10 chunks are opened with WebCrypto again", async () => {
    const store = new CookieStore({ secrets: SECRET, chunks: 10, maxHeaderBytes: 65_536 });
    const hono = new Hono();
    hono.use(sessions("session", store));
    // About 30,000 characters of data, 40 KB sealed: some 140 KB an entry with its text.
    const big = Array.from({ length: 30_000 }, (_, i) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(i * 7919) % 62]).join("");
    hono.post("/", async (c) => {
      getSession(c).set("big", big);
      await getSession(c).save();
      return c.text("ok");
    });
    hono.get("/", (c) => c.json((getSession(c).get("big") as string | undefined)?.length ?? 0));
    const browsers = Array.from({ length: 40 }, () => new TestBrowser((request) => hono.fetch(request)));
    for (const b of browsers) await b.fetch("/", { method: "POST" });
    expect(browsers[0]!.cookies.size).toBe(10);
    // The last ones sealed are still held; the first ones, past 4 MiB, are not.
    expect(await browsers[39]!.json("/")).toBe(30_000);
    expect(subtle.counts.decrypt).toBe(0);
    expect(await browsers[0]!.json("/")).toBe(30_000);
    expect(subtle.counts.decrypt).toBe(1);
  });

  it("re-seals a session opened with an old secret with the newest one, even from the cache", async () => {
    const old = app(new CookieStore({ secrets: OLD_SECRET }));
    await old.fetch("/login", { method: "POST" });
    const oldKid = old.cookies.get("session")!.split(".")[0];
    const rotated = app(new CookieStore({ secrets: [SECRET, OLD_SECRET] }));
    const cookie = old.cookieHeader();
    for (let i = 0; i < 3; i++) expect((await rotated.json("/", { headers: { Cookie: cookie } })).user).toBe("ada");
    expect(subtle.counts.decrypt).toBe(1); // once with the old key, then hits
    rotated.cookies.set("session", old.cookies.get("session")!);
    expect(await rotated.json("/count", { method: "POST" })).toEqual({ count: 1 });
    const resealed = rotated.cookies.get("session")!;
    expect(resealed.split(".")[0]).not.toBe(oldKid);
    // The new value opens where only the newest secret is known.
    const newest = app(new CookieStore({ secrets: SECRET }));
    expect(await newest.json("/", { headers: { Cookie: `session=${resealed}` } })).toMatchObject({ isNew: false, user: "ada", count: 1 });
  });

  it("never lets a value sealed for one cookie name open under another", async () => {
    const store = new CookieStore({ secrets: SECRET });
    const hono = new Hono();
    hono.use(manySessions(["a", "b"], store));
    hono.post("/", async (c) => {
      getSession(c, "a").set("user", "ada");
      await getSession(c, "a").save();
      return c.text("ok");
    });
    hono.get("/", (c) => c.json({ a: getSession(c, "a").get("user") ?? null, b: getSession(c, "b").get("user") ?? null }));
    const browser = new TestBrowser((request) => hono.fetch(request));
    await browser.fetch("/", { method: "POST" });
    const value = browser.cookies.get("a")!;
    expect(await browser.json("/", { headers: { Cookie: `a=${value}; b=${value}` } })).toEqual({ a: "ada", b: null });
  });

  it("never holds a forged value: each try takes the full path and fails", () => expectForgedFullPath(new CookieStore({ secrets: SECRET }), "decrypt"));
});

describe("Codec: a sealed value is held only as what it would open to", () => {
  const exp = Math.ceil(Date.now() / 1000) + 3600;

  it("text with a lone surrogate opens as UTF-8 leaves it, cached or not", async () => {
    const codec = new Codec([SECRET], "data");
    const value = await codec.encrypt("s", "a\uD800b", exp);
    expect((await codec.decrypt("s", value))?.text).toBe("a\uFFFDb");
    expect((await new Codec([SECRET], "data", 0).decrypt("s", value))?.text).toBe("a\uFFFDb");
  });

  it("a signed value verify() would refuse is not held either", async () => {
    const codec = new Codec([SECRET]);
    for (const [token, seconds] of [["has.dot", exp], ["ok", exp + 0.5]] as const) {
      const value = await codec.sign("s", token, seconds);
      expect(await codec.verify("s", value)).toBeUndefined();
    }
  });
});

/** Three requests with a forged copy of a signed-in cookie: each a new session, each one WebCrypto `operation`. */
async function expectForgedFullPath(store: Store, operation: "decrypt" | "verify"): Promise<void> {
  const browser = app(store);
  await browser.fetch("/login", { method: "POST" });
  const value = browser.cookies.get("session")!;
  const forged = value.slice(0, -2) + (value.endsWith("AA") ? "BB" : "AA");
  for (let i = 0; i < 3; i++) expect((await browser.json("/", { headers: { Cookie: `session=${forged}` } })).isNew).toBe(true);
  expect(subtle.counts[operation]).toBe(3);
}

describe("server stores: the verified signed id is cached the same way", () => {
  it("MemoryStore verifies a signed id it issued without WebCrypto, and destroy() still ends the session", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const browser = app(store);
    await browser.fetch("/login", { method: "POST" });
    for (let i = 0; i < 3; i++) expect((await browser.json("/")).user).toBe("ada");
    expect(subtle.counts.verify).toBe(0);
    const cookie = browser.cookieHeader();
    const id = browser.cookies.get("session")!.split(".")[2]!;
    await store.destroy("session", id);
    expect(await browser.json("/", { headers: { Cookie: cookie } })).toMatchObject({ isNew: true, user: null });
  });

  it("MemoryStore still refuses a signed id on a hit once its cookie has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const browser = app(new MemoryStore({ secrets: SECRET, cookie: { maxAge: 60 } }));
    await browser.fetch("/login", { method: "POST" });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await browser.json("/")).toMatchObject({ isNew: true, user: null });
  });

  it("a forged signed id takes the full path every time", () => expectForgedFullPath(new MemoryStore({ secrets: SECRET }), "verify"));
});

describe("ValueCache: values that end alike", () => {
  it("hands back only the exact value, and one value's entry replaces another's with the same end", () => {
    const cache = new ValueCache(10);
    const end = "x".repeat(40);
    cache.set("s", `a${end}`, "a", LATER);
    expect(cache.get("s", `b${end}`)).toBeUndefined();
    cache.set("s", `b${end}`, "b", LATER);
    expect(cache.get("s", `a${end}`)).toBeUndefined();
    expect(cache.get("s", `b${end}`)?.text).toBe("b");
    expect(cache.size).toBe(1);
  });
});
