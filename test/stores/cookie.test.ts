import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { Codec, normalizeSecrets, toBase64url } from "../../src/codec.ts";
import { SessionError } from "../../src/errors.ts";
import { CookieStore } from "../../src/stores/cookie.ts";
import type { CookieReader } from "../../src/stores/cookie-format.ts";
import { describeStoreConformance } from "../conformance.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";

describeStoreConformance("CookieStore (encrypted)", {
  make: (secrets = [SECRET]) => new CookieStore({ secrets }),
  serverSide: false,
  sharedBackend: true,
});

describeStoreConformance("CookieStore (signed only)", {
  make: (secrets = [SECRET]) => new CookieStore({ secrets, encrypt: false }),
  serverSide: false,
  sharedBackend: true,
});

describeStoreConformance("CookieStore (chunks: 3)", {
  make: (secrets = [SECRET]) => new CookieStore({ secrets, chunks: 3 }),
  serverSide: false,
  sharedBackend: true,
});

function profileApp(store: CookieStore, fill: (set: (key: string, value: unknown) => void) => void) {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/", async (c) => {
    fill((key, value) => getSession(c).set(key, value));
    await getSession(c).save();
    return c.text("ok");
  });
  return app;
}

describe("CookieStore", () => {
  it("refuses short secrets and bad options when built", () => {
    expect(() => new CookieStore({ secrets: "too-short" })).toThrow(SessionError);
    expect(() => new CookieStore({ secrets: [] })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    expect(() => new CookieStore({ secrets: SECRET, cookie: { maxAge: 0 } })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_CONFIG" }),
    );
  });

  it('refuses format "jwt" until web-sessions/jwt is imported (this file never imports it), and unknown formats', () => {
    expect(() => new CookieStore({ secrets: SECRET, format: "jwt" })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG", message: expect.stringContaining('import "web-sessions/jwt"') }));
    expect(() => new CookieStore({ secrets: SECRET, format: "jose" as "jwt" })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
  });

  it("keeps encrypted contents unreadable, signed-only contents readable", async () => {
    for (const encrypt of [true, false]) {
      const app = profileApp(new CookieStore({ secrets: SECRET, encrypt }), (set) => set("email", "ada@example.com"));
      const cookie = (await app.request("/", { method: "POST" })).headers.get("Set-Cookie")!;
      const decoded = cookie
        .split(/[.;=]/)
        .map((part) => Buffer.from(part, "base64url").toString("latin1"))
        .join(" ");
      expect(decoded.includes("ada@example.com")).toBe(!encrypt);
    }
  });

  it("rejects save() past 4096 bytes with ERR_SESSION_COOKIE_TOO_LARGE and sends no cookie", async () => {
    const app = new Hono();
    app.use(sessions("session", new CookieStore({ secrets: SECRET })));
    app.post("/:size", async (c) => {
      getSession(c).set("blob", "x".repeat(Number(c.req.param("size"))));
      try {
        await getSession(c).save();
        return c.text("saved");
      } catch (error) {
        return c.text((error as SessionError).code, 413);
      }
    });
    const fits = await app.request("/2900", { method: "POST" });
    expect(await fits.text()).toBe("saved");
    expect(fits.headers.get("Set-Cookie")!.split(";")[0]!.length).toBeLessThanOrEqual(4096);
    const tooBig = await app.request("/3200", { method: "POST" });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toBe("ERR_SESSION_COOKIE_TOO_LARGE");
    expect(tooBig.headers.get("Set-Cookie")).toBeNull();
  });

  it("keeps a 10-field profile session small", async () => {
    const app = profileApp(new CookieStore({ secrets: SECRET }), (set) => {
      set("userId", 1234567);
      set("name", "Ada Lovelace");
      set("email", "ada@example.com");
      set("roles", ["admin", "editor"]);
      set("locale", "en-GB");
      set("theme", "dark");
      set("plan", "pro");
      set("verified", true);
      set("lastLogin", 1764115200000);
      set("count", 41);
    });
    const cookie = (await app.request("/", { method: "POST" })).headers.get("Set-Cookie")!;
    expect(cookie.length).toBeLessThanOrEqual(430);
  });

  it("opens the cookies of a session written by another instance with the same secret", async () => {
    const writer = profileApp(new CookieStore({ secrets: SECRET }), (set) => set("k", "v"));
    const reader = new Hono();
    reader.use(sessions("session", new CookieStore({ secrets: SECRET })));
    reader.get("/", (c) => c.json({ k: getSession(c).get("k") }));
    const b = new TestBrowser((request) => (request.method === "POST" ? writer : reader).fetch(request));
    await b.fetch("/", { method: "POST" });
    expect(await b.json("/")).toEqual({ k: "v" });
  });

  it("takes chunks up to 10, and refuses migrateFrom entries that are missing", () => {
    expect(new CookieStore({ secrets: SECRET, chunks: 10 }).chunks).toBe(10);
    expect(() => new CookieStore({ secrets: SECRET, chunks: 11 })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    for (const entry of [undefined, null]) {
      expect(() => new CookieStore({ secrets: SECRET, migrateFrom: [entry as never] })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    }
  });

  it("opens nothing from a value it authenticated but did not write in its format", async () => {
    const codec = new Codec(normalizeSecrets(SECRET, "test"), "data", 0);
    const exp = Math.ceil(Date.now() / 1000) + 60;
    const encrypted = new CookieStore({ secrets: SECRET });
    const signed = new CookieStore({ secrets: SECRET, encrypt: false });
    for (const text of ["no head at all", "id.123{not json", "id.123{\"a\":1"]) {
      await expect(encrypted.load("session", await codec.encrypt("session", text, exp))).resolves.toBeUndefined();
      await expect(signed.load("session", await codec.sign("session", toBase64url(text), exp))).resolves.toBeUndefined();
    }
    await expect(encrypted.load("session", await codec.encrypt("session", "id.123{\"a\":1}", exp))).resolves.toMatchObject({ id: "id", createdAt: 123_000 });
  });
});

describe("CookieStore migrateFrom", () => {
  const LEGACY_ID = "legacy0session0id0abcdef";
  /** A made-up older format, `legacy-<id>`, read without an isWellFormed: every value is offered to it. */
  const legacy = (offered: string[] = []): CookieReader => ({
    async read(_name, value) {
      offered.push(value);
      if (value !== `legacy-${LEGACY_ID}`) return undefined;
      return { id: LEGACY_ID, createdAt: 1_700_000_000_000, expiresAt: Date.now() + 60_000, data: new Map([["from", "legacy"]]) };
    },
  });
  /** A reader that claims every value (as a careless one might). */
  const greedy: CookieReader = {
    isWellFormed: () => true,
    async read() {
      return { id: "greedy0session0id0abcdef", createdAt: 0, expiresAt: Date.now() + 60_000, data: new Map([["from", "greedy"]]) };
    },
  };
  const never: CookieReader = { isWellFormed: () => true, read: async () => undefined };

  function migratingApp(migrateFrom: CookieReader[]) {
    const app = new Hono();
    app.use(sessions("session", new CookieStore({ secrets: SECRET, migrateFrom })));
    app.get("/", (c) => c.json({ id: getSession(c).id, isNew: getSession(c).isNew, from: getSession(c).get("from") ?? null }));
    app.post("/", async (c) => {
      getSession(c).set("from", "ours");
      await getSession(c).save();
      return c.json({ id: getSession(c).id });
    });
    return app;
  }

  it("offers a value to a reader without isWellFormed, and tries the readers in order until one opens it", async () => {
    const cookie = { headers: { Cookie: `session=legacy-${LEGACY_ID}` } };
    expect(new CookieStore({ secrets: SECRET, migrateFrom: [legacy()] }).isWellFormed("anything at all")).toBe(true);
    expect(await (await migratingApp([legacy()]).request("/", cookie)).json()).toEqual({ id: LEGACY_ID, isNew: false, from: "legacy" });
    expect(await (await migratingApp([never, legacy()]).request("/", cookie)).json()).toEqual({ id: LEGACY_ID, isNew: false, from: "legacy" });
  });

  it("opens its own values itself and offers readers only the values it cannot open", async () => {
    const offered: string[] = [];
    for (const readers of [[legacy(offered)], [greedy]]) {
      const app = migratingApp(readers);
      const b = new TestBrowser((request) => app.fetch(request));
      const { id } = await b.json("/", { method: "POST" });
      expect(await b.json("/")).toEqual({ id, isNew: false, from: "ours" });
      // Another instance (a new deploy: nothing cached) opens it with WebCrypto, still itself.
      const fresh = await migratingApp(readers).request("/", { headers: { Cookie: b.cookieHeader() } });
      expect(await fresh.json()).toEqual({ id, isNew: false, from: "ours" });
    }
    expect(offered).toEqual([]);
  });
});
