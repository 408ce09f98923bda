// The jar's paths with nothing to await: a request without a session cookie opens its session at
// once, a commit without autoSave or rolling returns its lines at once, and a save of an unmodified
// session is one settled promise. What the app sees is the same either way; these check the
// values the adapters rely on to skip their awaits, and that nothing of one request reaches another.
import { describe, expect, it } from "vitest";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { OutgoingCookie, SessionsConfig } from "../src/jar.ts";
import type { SessionWrite, Store, StoredSession } from "../src/store.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { SECRET } from "./support/browser.ts";

/** A store that knows the value "now" from memory (`loadNow`) and opens "ok" through `load`. */
class MemoStore implements Store {
  loads = 0;
  asked: string[] = [];
  createdAt = Date.now();

  isWellFormed(value: string): boolean {
    return value !== "junk";
  }

  loadNow(_name: string, value: string): StoredSession | undefined {
    this.asked.push(value);
    return value === "now" ? { id: "id-now", createdAt: this.createdAt, expiresAt: Date.now() + 60_000, data: new Map([["user", "grace"]]) } : undefined;
  }

  async load(_name: string, value: string): Promise<StoredSession | undefined> {
    this.loads++;
    return value === "ok" || value === "now" ? { id: `id-${value}`, createdAt: this.createdAt, expiresAt: Date.now() + 60_000, data: new Map([["user", value]]) } : undefined;
  }

  async save(): Promise<string> {
    return "ok";
  }

  async destroy(): Promise<void> {}
}

/** A store whose loads wait for `release()`: shows whether the jar awaited it. */
class GatedStore implements Store {
  loads = 0;
  #release!: () => void;
  readonly #gate = new Promise<void>((resolve) => (this.#release = resolve));

  release(): void {
    this.#release();
  }

  async load(_name: string, value: string): Promise<StoredSession | undefined> {
    this.loads++;
    await this.#gate;
    return value === "ok" ? { id: "id-1", createdAt: Date.now(), expiresAt: Date.now() + 60_000, data: new Map([["user", "ada"]]) } : undefined;
  }

  async save(_name: string, _write: SessionWrite): Promise<string> {
    return "ok";
  }

  async destroy(): Promise<void> {}
}

function settings(config: Partial<SessionsConfig> = {}) {
  return resolveSettings({ store: new CookieStore({ secrets: SECRET }), ...config }, "test");
}

describe("SessionJar: no promise where nothing is awaited", () => {
  it("opens at once when the request carries no cookie of its sessions (also with other cookies)", () => {
    for (const header of [null, "", "theme=dark; other=1"]) {
      const jar = SessionJar.open(settings(), header);
      expect(jar).toBeInstanceOf(SessionJar);
      expect((jar as SessionJar).session("session").isNew).toBe(true);
    }
  });

  it("waits for the store when a cookie is there: the session exists only once the load is done", async () => {
    const store = new GatedStore();
    const opening = SessionJar.open(settings({ store }), "session=ok");
    expect(opening).toBeInstanceOf(Promise);
    expect(store.loads).toBe(1);
    store.release();
    const jar = await opening;
    expect(jar.session("session").get("user")).toBe("ada");
    expect(jar.session("session").isNew).toBe(false);
  });

  it("with several names, lazy or not, loads as before", async () => {
    const store = new GatedStore();
    store.release();
    const many = await SessionJar.open(settings({ store, names: ["a", "b"] }), "a=ok; b=bad");
    expect(many.session("a").get("user")).toBe("ada");
    expect(many.session("b").isNew).toBe(true);
    const lazy = SessionJar.open(settings({ store, lazy: true }), "session=ok");
    expect(lazy).toBeInstanceOf(SessionJar);
    expect(() => (lazy as SessionJar).session("session")).toThrow(expect.objectContaining({ code: "ERR_SESSION_MISSING" }));
    const loaded = await (lazy as SessionJar).load("session");
    expect(loaded.get("user")).toBe("ada");
    // A second load hands out the same session, without loading again.
    const loads = store.loads;
    expect(await (lazy as SessionJar).load("session")).toBe(loaded);
    expect(store.loads).toBe(loads);
  });

  it("opens at once, without load(), a session the store knows from memory (loadNow)", () => {
    const store = new MemoStore();
    const jar = SessionJar.open(settings({ store }), "other=1; session=now");
    expect(jar).toBeInstanceOf(SessionJar);
    expect((jar as SessionJar).session("session").get("user")).toBe("grace");
    expect((jar as SessionJar).session("session").isNew).toBe(false);
    expect(store.loads).toBe(0);
  });

  it("opens at once a CookieStore session whose cookie value the store sealed; through load() once it is not cached", async () => {
    for (const cache of [10, 0]) {
      const store = new CookieStore({ secrets: SECRET, cache });
      const first = SessionJar.open(settings({ store }), null) as SessionJar;
      first.session("session").set("user", "ada");
      await first.session("session").save();
      const header = (first.commit() as string[])[0]!.split(";")[0]!;
      const value = header.slice("session=".length);
      expect(store.loadNow("session", value)?.data).toEqual(cache ? new Map([["user", "ada"]]) : undefined);
      expect(store.loadNow("other", value)).toBeUndefined();
      const next = SessionJar.open(settings({ store }), header);
      expect(next instanceof SessionJar).toBe(cache > 0);
      expect((await next).session("session").get("user")).toBe("ada");
    }
  });

  it("takes load() when loadNow does not know the value, or the cookie is there twice, or not well formed", async () => {
    const store = new MemoStore();
    const unknown = SessionJar.open(settings({ store }), "session=ok");
    expect(unknown).toBeInstanceOf(Promise);
    expect((await unknown).session("session").get("user")).toBe("ok");
    // Duplicates take the careful path of several values: the first one that opens wins.
    const twice = await SessionJar.open(settings({ store }), "session=ok; session=now");
    expect(twice.session("session").get("user")).toBe("ok");
    expect(store.asked).toEqual(["ok"]);
    const junk = await SessionJar.open(settings({ store }), "session=junk");
    expect(junk.session("session").isNew).toBe(true);
    expect(store.asked).toEqual(["ok"]);
    expect(store.loads).toBe(2);
  });

  it("applies absoluteMaxAge to a session loadNow gives: past it, a new session and onInvalidCookie", async () => {
    const store = new MemoStore();
    store.createdAt = Date.now() - 61_000;
    const invalid: string[] = [];
    const jar = await SessionJar.open(settings({ store, absoluteMaxAge: 60, onInvalidCookie: (name) => void invalid.push(name) }), "session=now");
    expect(jar.session("session").isNew).toBe(true);
    expect(jar.session("session").get("user")).toBeUndefined();
    expect(invalid).toEqual(["session"]);
    store.createdAt = Date.now() - 59_000;
    const young = SessionJar.open(settings({ store, absoluteMaxAge: 60 }), "session=now");
    expect((young as SessionJar).session("session").get("user")).toBe("grace");
  });

  it("shares one load between lazy loads made before it is done", async () => {
    const store = new GatedStore();
    const jar = SessionJar.open(settings({ store, lazy: true }), "session=ok") as SessionJar;
    const first = jar.load("session");
    const second = jar.load("session");
    store.release();
    expect(await second).toBe(await first);
    expect(store.loads).toBe(1);
  });

  it("hands a CookieSink the lifetime a save has left under absoluteMaxAge, as the Set-Cookie line says", async () => {
    const taken: OutgoingCookie[] = [];
    const jar = SessionJar.open(settings({ absoluteMaxAge: 60 }), null, { set: (cookie) => void taken.push(cookie) }) as SessionJar;
    jar.session("session").set("user", "ada");
    await jar.session("session").save();
    expect(taken).toHaveLength(1);
    expect(taken[0]!.options.maxAge).toBeGreaterThan(55);
    expect(taken[0]!.options.maxAge).toBeLessThanOrEqual(60);
    expect((jar.commit() as string[])[0]).toContain(`; Max-Age=${Math.floor(taken[0]!.options.maxAge)};`);
  });

  it("a store without a cache still refuses values of the wrong shape; one with a cache takes the values it holds", async () => {
    for (const cache of [0, 10]) {
      const store = new CookieStore({ secrets: SECRET, cache });
      expect(store.isWellFormed("garbage")).toBe(false);
      const jar = SessionJar.open(settings({ store }), null) as SessionJar;
      jar.session("session").set("n", 1);
      await jar.session("session").save();
      const value = (jar.commit() as string[])[0]!.split(";")[0]!.slice("session=".length);
      expect(store.isWellFormed(value)).toBe(true);
      expect(store.isWellFormed(`${value}!`)).toBe(false);
    }
  });

  it("loadSession of a session opened at once is that session", async () => {
    const jar = SessionJar.open(settings(), null) as SessionJar;
    expect(await jar.load("session")).toBe(jar.session("session"));
  });

  it("commits at once without autoSave or rolling: no lines, or this request's own lines", async () => {
    const first = SessionJar.open(settings(), null) as SessionJar;
    const second = SessionJar.open(settings(), null) as SessionJar;
    const none = first.commit();
    expect(none).toEqual([]);
    // The empty answer cannot be written to, so no request's lines can reach another's.
    expect(() => (none as string[]).push("x")).toThrow(TypeError);
    second.session("session").set("user", "ada");
    await second.session("session").save();
    const lines = second.commit();
    expect(Array.isArray(lines)).toBe(true);
    expect(lines as string[]).toHaveLength(1);
    expect((lines as string[])[0]).toMatch(/^session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(first.commit()).toEqual([]);
    expect(second.commit({ failed: true })).toEqual(lines);
  });

  it("commits through a promise with autoSave or rolling, and saves there", async () => {
    const jar = SessionJar.open(settings({ autoSave: true }), null) as SessionJar;
    jar.session("session").set("user", "ada");
    const committing = jar.commit();
    expect(committing).toBeInstanceOf(Promise);
    expect(await committing).toHaveLength(1);
    const rolling = SessionJar.open(settings({ rolling: true }), null) as SessionJar;
    expect(await rolling.commit()).toEqual([]);
  });

  it("an unmodified session's save() resolves at once and sends nothing; a modified one's writes", async () => {
    const jar = SessionJar.open(settings(), null) as SessionJar;
    const session = jar.session("session");
    await expect(session.save()).resolves.toBeUndefined();
    expect(jar.commit()).toEqual([]);
    session.set("n", 1);
    await session.save();
    expect(jar.commit()).toHaveLength(1);
  });

  it("rejects, not throws, a save whose session options break a prefix rule", async () => {
    const jar = SessionJar.open(resolveSettings({ store: new CookieStore({ secrets: SECRET }), name: "__Host-s" }, "test"), null) as SessionJar;
    const session = jar.session("__Host-s");
    session.set("n", 1);
    session.options({ path: "/admin" });
    const saving = session.save();
    expect(saving).toBeInstanceOf(Promise);
    await expect(saving).rejects.toMatchObject({ code: "ERR_SESSION_CONFIG" });
  });
});
