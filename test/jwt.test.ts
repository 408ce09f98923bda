// web-sessions/jwt: the "jwt" format of CookieStore, read and written by jose as another service would.
import { EncryptJWT, SignJWT, decodeProtectedHeader, jwtDecrypt, jwtVerify } from "jose";
import { Hono } from "hono";
import { createHash, hkdfSync } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getSession, sessions } from "../adapters/hono.ts";
import { deriveJwtKey } from "../src/jwt/index.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import type { CookieStoreOptions } from "../src/stores/cookie.ts";
import type { SessionWrite } from "../src/store.ts";
import { describeStoreConformance } from "./conformance.ts";
import { OLD_SECRET, SECRET, TestBrowser } from "./support/browser.ts";

describeStoreConformance("CookieStore (format: jwt)", {
  make: (secrets = [SECRET]) => new CookieStore({ secrets, format: "jwt" }),
  serverSide: false,
  sharedBackend: true,
});

describeStoreConformance("CookieStore (format: jwt, signed only)", {
  make: (secrets = [SECRET]) => new CookieStore({ secrets, format: "jwt", encrypt: false }),
  serverSide: false,
  sharedBackend: true,
});

const kidOf = (secret: string) => createHash("sha256").update(Buffer.from(hkdfSync("sha256", secret, "web-sessions", "jwt", 32))).digest().subarray(0, 6).toString("base64url");

/** POST / sets the given JSON entries and saves; GET / answers the session's id, isNew and data. */
function jwtApp(options: Partial<CookieStoreOptions> = {}, name = "session") {
  const app = new Hono();
  app.use(sessions(name, new CookieStore({ secrets: SECRET, format: "jwt", ...options })));
  app.post("/", async (c) => {
    const session = getSession(c);
    for (const [key, value] of Object.entries(await c.req.json())) session.set(key, value);
    await session.save();
    return c.json({ id: session.id });
  });
  app.get("/", (c) => {
    const session = getSession(c);
    return c.json({ id: session.id, isNew: session.isNew, user: session.get("user") ?? null });
  });
  return app;
}

async function sealWith(app: Hono, data: unknown, name = "session") {
  const response = await app.request("/", { method: "POST", body: JSON.stringify(data) });
  const line = response.headers.getSetCookie().find((each) => each.startsWith(`${name}=`))!;
  return { value: line.slice(name.length + 1, line.indexOf(";")), id: ((await response.json()) as { id: string }).id, line };
}

const read = async (app: Hono, cookie: string) => (await app.request("/", { headers: { Cookie: cookie } })).json();

afterEach(() => {
  vi.useRealTimers();
});

describe("deriveJwtKey", () => {
  it("is HKDF-SHA-256 of the secret, salt \"web-sessions\", info \"jwt\", 32 bytes (as docs/stores/cookie.md spells it out)", async () => {
    const key = await deriveJwtKey(SECRET);
    expect(key).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(key).toString("hex")).toBe(Buffer.from(hkdfSync("sha256", SECRET, "web-sessions", "jwt", 32)).toString("hex"));
    expect(Buffer.from(await deriveJwtKey(OLD_SECRET)).equals(Buffer.from(key))).toBe(false);
  });

  it("refuses a short secret with ERR_SESSION_CONFIG", async () => {
    await expect(deriveJwtKey("short")).rejects.toMatchObject({ code: "ERR_SESSION_CONFIG" });
  });

  it("takes a secret of exactly 32 characters, and refuses anything but a string however long", async () => {
    expect(await deriveJwtKey("s".repeat(32))).toHaveLength(32);
    await expect(deriveJwtKey("s".repeat(31))).rejects.toMatchObject({ code: "ERR_SESSION_CONFIG" });
    for (const secret of [{ length: 64 }, Array.from({ length: 40 }, () => "s")]) {
      await expect(deriveJwtKey(secret as never)).rejects.toMatchObject({ code: "ERR_SESSION_CONFIG" });
    }
  });
});

describe('CookieStore format: "jwt"', () => {
  it("writes a JWE (dir, A256GCM, kid) that jose opens with deriveJwtKey: jti, iat, exp, aud and data", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { value, id, line } = await sealWith(jwtApp(), { user: { name: "Ada", roles: ["admin"] } });
    expect(value.split(".")).toHaveLength(5);
    expect(decodeProtectedHeader(value)).toEqual({ alg: "dir", enc: "A256GCM", kid: kidOf(SECRET) });
    const { payload } = await jwtDecrypt(value, await deriveJwtKey(SECRET), { audience: "session" });
    expect(payload).toEqual({ jti: id, iat: expect.any(Number), exp: expect.any(Number), aud: "session", data: { user: { name: "Ada", roles: ["admin"] } } });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    // exp is the cookie's own lifetime: 30 days by default.
    expect(payload.exp! - payload.iat!).toBeGreaterThanOrEqual(30 * 24 * 3600 - 1);
    expect(line).toContain("Max-Age=2592000");
  });

  it("writes a JWS (HS256, kid) with encrypt: false, readable and verifiable by jose", async () => {
    const { value, id } = await sealWith(jwtApp({ encrypt: false }), { user: "ada" });
    expect(value.split(".")).toHaveLength(3);
    expect(decodeProtectedHeader(value)).toEqual({ alg: "HS256", kid: kidOf(SECRET) });
    const { payload } = await jwtVerify(value, await deriveJwtKey(SECRET), { algorithms: ["HS256"], audience: "session" });
    expect(payload).toMatchObject({ jti: id, data: { user: "ada" } });
  });

  it("opens a JWT another service sealed with jose and the derived key, with or without kid", async () => {
    const app = jwtApp();
    const key = await deriveJwtKey(SECRET);
    const exp = Math.floor(Date.now() / 1000) + 600;
    const claims = { jti: "c2Vzc2lvbi1pZC1mcm9tLWdv", iat: exp - 700, exp, aud: "session", data: { user: "from-go" } };
    for (const header of [{ alg: "dir", enc: "A256GCM", kid: kidOf(SECRET) }, { alg: "dir", enc: "A256GCM" }]) {
      const token = await new EncryptJWT(claims).setProtectedHeader(header).encrypt(key);
      expect(await read(app, `session=${token}`)).toEqual({ id: claims.jti, isNew: false, user: "from-go" });
    }
    const signed = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(key);
    expect(await read(jwtApp({ encrypt: false }), `session=${signed}`)).toMatchObject({ isNew: false, user: "from-go" });
  });

  it("opens nothing tampered, expired by exp, sealed for another cookie, with another algorithm or without data", async () => {
    const app = jwtApp();
    const key = await deriveJwtKey(SECRET);
    const { value } = await sealWith(app, { user: "ada" });
    const now = Math.floor(Date.now() / 1000);
    const claims = { jti: "c2Vzc2lvbi1pZC1mcm9tLWdv", iat: now - 100, exp: now + 100, aud: "session", data: { user: "x" } };
    const tokens = [
      value.slice(0, -2) + (value.endsWith("AA") ? "BA" : "AA"),
      `${value}=`, // jose's decoder takes padding: refused before it gets there
      await new EncryptJWT({ ...claims, exp: now - 1 }).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).encrypt(key),
      await new EncryptJWT({ ...claims, aud: "other" }).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).encrypt(key),
      await new EncryptJWT({ ...claims, data: "x" }).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).encrypt(key),
      await new EncryptJWT({ ...claims, data: undefined }).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).encrypt(key),
      await new EncryptJWT(claims).setProtectedHeader({ alg: "dir", enc: "A128CBC-HS256" }).encrypt(new Uint8Array(32)),
      await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(key), // a JWS where a JWE is due
      "not.a.jwt",
    ];
    for (const token of tokens) expect(await read(app, `session=${token}`)).toMatchObject({ isNew: true, user: null });
    expect(await read(jwtApp({}, "other"), `other=${value}`)).toMatchObject({ isNew: true });
  });

  it("opens nothing without a non-empty string jti, an iat or an exp, or with data null, and takes padded values not even to jose", async () => {
    const store = new CookieStore({ secrets: SECRET, format: "jwt" });
    const key = await deriveJwtKey(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const claims = { jti: "c2Vzc2lvbi1pZC1mcm9tLWdv", iat: now - 100, exp: now + 100, aud: "session", data: { user: "x" } };
    const seal = (extra: object) => new EncryptJWT({ ...claims, ...extra }).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).encrypt(key);
    expect(await store.load("session", await seal({}))).toMatchObject({ id: claims.jti });
    for (const extra of [{ jti: "" }, { jti: 12345 }, { data: null }, { iat: undefined }, { exp: undefined }]) {
      await expect(store.load("session", await seal(extra))).resolves.toBeUndefined();
    }
    // Loaded directly, past the middleware's isWellFormed: the store's own shape check refuses these.
    const { value } = await sealWith(jwtApp(), { user: "ada" });
    for (const padded of [`${value}=`, `${value}==`]) await expect(store.load("session", padded)).resolves.toBeUndefined();
  });

  it("opens createdAt from iat and expiresAt from exp, in milliseconds", async () => {
    const store = new CookieStore({ secrets: SECRET, format: "jwt" });
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = await new EncryptJWT({ jti: "c2Vzc2lvbi1pZC1mcm9tLWdv", iat: 1_700_000_000, exp, aud: "session", data: {} })
      .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
      .encrypt(await deriveJwtKey(SECRET));
    expect(await store.load("session", token)).toMatchObject({ createdAt: 1_700_000_000_000, expiresAt: exp * 1000 });
  });

  it("expires with exp: a cookie opens until its maxAge passes, then not", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const app = jwtApp({ cookie: { maxAge: 60 } });
    const { value } = await sealWith(app, { user: "ada" });
    vi.setSystemTime(Date.now() + 59_000);
    expect(await read(app, `session=${value}`)).toMatchObject({ isNew: false });
    vi.setSystemTime(Date.now() + 2_000);
    expect(await read(app, `session=${value}`)).toMatchObject({ isNew: true });
  });

  it("rotates keys: the kid picks the older secret's key, and the next save re-seals with the newest", async () => {
    const old = jwtApp({ secrets: [OLD_SECRET] });
    const rotated = jwtApp({ secrets: [SECRET, OLD_SECRET] });
    const { value, id } = await sealWith(old, { user: "ada" });
    expect(decodeProtectedHeader(value).kid).toBe(kidOf(OLD_SECRET));
    expect(await read(jwtApp(), `session=${value}`)).toMatchObject({ isNew: true });
    expect(await read(rotated, `session=${value}`)).toEqual({ id, isNew: false, user: "ada" });
    const b = new TestBrowser((request) => rotated.fetch(request));
    b.cookies.set("session", value);
    await b.fetch("/", { method: "POST", body: JSON.stringify({ more: 1 }) });
    expect(decodeProtectedHeader(b.cookies.get("session")!).kid).toBe(kidOf(SECRET));
    expect(await read(jwtApp(), b.cookieHeader())).toEqual({ id, isNew: false, user: "ada" });
  });

  it("rejects data JSON cannot hold with ERR_SESSION_DATA, as the compact format does", async () => {
    const app = new Hono();
    app.use(sessions("session", new CookieStore({ secrets: SECRET, format: "jwt" })));
    app.post("/", async (c) => {
      getSession(c).set("big", 1n);
      return c.text(await getSession(c).save().then(() => "saved", (error: { code: string }) => error.code));
    });
    const response = await app.request("/", { method: "POST" });
    expect(await response.text()).toBe("ERR_SESSION_DATA");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("keeps data as JSON keeps it, as the compact format does: toJSON used, functions and symbols left out, a throwing getter ERR_SESSION_DATA", async () => {
    class Money {
      constructor(readonly cents: number) {}
      toJSON() {
        return `$${(this.cents / 100).toFixed(2)}`;
      }
    }
    const values: Record<string, unknown> = { url: new URL("https://example.com/a"), price: new Money(250), fn: () => 1, sym: Symbol("s"), nested: { fn: () => 1, ok: true } };
    const kept: Record<string, unknown>[] = [];
    for (const format of ["compact", "jwt"] as const) {
      const store = new CookieStore({ secrets: SECRET, format });
      const app = new Hono();
      app.use(sessions("session", store));
      app.post("/", async (c) => {
        for (const [key, value] of Object.entries(values)) getSession(c).set(key, value);
        await getSession(c).save();
        return c.text("ok");
      });
      app.get("/", (c) => c.json(Object.fromEntries(["url", "price", "fn", "sym", "nested"].map((key) => [key, getSession(c).get(key) ?? null]))));
      app.put("/", async (c) => {
        getSession(c).set("bad", { get boom() { throw new RangeError("boom"); } });
        return c.text(await getSession(c).save().then(() => "saved", (error: { code?: string }) => error.code ?? String(error)));
      });
      const b = new TestBrowser((request) => app.fetch(request));
      await b.fetch("/", { method: "POST" });
      kept.push(await b.json("/"));
      expect(await (await b.fetch("/", { method: "PUT" })).text()).toBe("ERR_SESSION_DATA");
    }
    expect(kept[0]).toEqual({ url: "https://example.com/a", price: "$2.50", fn: null, sym: null, nested: { ok: true } });
    expect(kept[1]).toEqual(kept[0]);
  });

  it("keeps JSON's own TypeError as the cause of ERR_SESSION_DATA", async () => {
    const store = new CookieStore({ secrets: SECRET, format: "jwt" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [1n, cyclic]) {
      const write: SessionWrite = { id: "c2Vzc2lvbi1pZC1mcm9tLWdv", previousId: undefined, data: new Map([["k", value]]), changed: new Set(["k"]), deleted: new Set(), cleared: false, createdAt: Date.now(), expiresAt: Date.now() + 60_000, flashes: new Map(), flashIds: new Map() };
      await expect(store.save("session", write)).rejects.toMatchObject({ code: "ERR_SESSION_DATA", cause: expect.any(TypeError) });
    }
  });

  it("splits a large JWT over chunks that jose opens once joined", async () => {
    const app = jwtApp({ chunks: 3 });
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/", { method: "POST", body: JSON.stringify({ user: "a".repeat(5000) }) });
    expect([...b.cookies.keys()]).toEqual(["session", "session.1"]);
    expect((await b.json("/")).user).toHaveLength(5000);
    // The first chunk carries the count ("2~"): the JWT is the chunks joined after it.
    expect(b.cookies.get("session")).toMatch(/^2~/);
    const { payload } = await jwtDecrypt([...b.cookies.values()].join("").slice(2), await deriveJwtKey(SECRET));
    expect((payload.data as { user: string }).user).toHaveLength(5000);
  });
});
