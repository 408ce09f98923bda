// migrateFrom: [fromHonoSession({ secret })]: cookies minted by @hono/session 0.2 itself, running
// in a Hono app, open as sessions and are re-sealed in our format at their next save.
import { useSession } from "@hono/session";
import { Hono } from "hono";
import { EncryptJWT, jwtDecrypt } from "jose";
import type { JWTPayload } from "jose";
import { createHash, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSession, manySessions, sessions } from "../adapters/hono.ts";
import { fromHonoSession } from "../src/jwt/index.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { SECRET, TestBrowser } from "./support/browser.ts";

const HONO_SECRET = "the-secret-the-app-gave-hono-session";

interface HonoSessionVar {
  session: { get(): Promise<Record<string, unknown> | null>; update(data: Record<string, unknown>): Promise<void> };
}

// @hono/session's key, as its source derives it: HKDF-SHA-256, empty salt, info "session jwe cek".
const HONO_KEY = new Uint8Array(hkdfSync("sha256", HONO_SECRET, new Uint8Array(0), "session jwe cek", 32));

/** A token sealed as @hono/session seals its cookies (or, with `alg`, under another key management). */
function sealLikeHonoSession(claims: JWTPayload, alg: "dir" | "A256GCMKW" = "dir"): Promise<string> {
  return new EncryptJWT(claims).setProtectedHeader({ alg, enc: "A256GCM" }).encrypt(HONO_KEY);
}

/** An app on @hono/session: POST /login stores the JSON body as the session's data. */
function honoSessionApp(options: { duration?: { absolute: number } } = {}) {
  const app = new Hono();
  app.use(useSession({ secret: HONO_SECRET, ...options }));
  app.post("/login", async (c) => {
    await (c.var as unknown as HonoSessionVar).session.update(await c.req.json());
    return c.text("ok");
  });
  return app;
}

async function mintHonoCookie(data: Record<string, unknown>, options?: { duration?: { absolute: number } }): Promise<string> {
  const response = await honoSessionApp(options).request("/login", { method: "POST", body: JSON.stringify(data) });
  const line = response.headers.getSetCookie().find((each) => each.startsWith("sid="));
  expect(line, "@hono/session set its cookie").toBeDefined();
  return line!.split(";")[0]!;
}

/** The same app moved to web-sessions: GET / reads the session, POST /visit changes it. */
function migratedApp(secret = HONO_SECRET) {
  const store = new CookieStore({ secrets: SECRET, migrateFrom: [fromHonoSession({ secret })] });
  const app = new Hono();
  app.use(sessions("sid", store));
  app.get("/", (c) => {
    const session = getSession(c);
    return c.json({ id: session.id, isNew: session.isNew, userId: session.get("userId") ?? null, name: session.get("name") ?? null, visits: session.get("visits") ?? 0 });
  });
  app.post("/visit", async (c) => {
    const session = getSession(c);
    session.set("visits", ((session.get("visits") as number | undefined) ?? 0) + 1);
    await session.save();
    return c.text("ok");
  });
  return app;
}

describe("migrateFrom: [fromHonoSession({ secret })]", () => {
  it("opens a cookie @hono/session sealed, with its data and isNew false, and sends nothing until a save", async () => {
    const cookie = await mintHonoCookie({ userId: 42, name: "Ada" });
    const response = await migratedApp().request("/", { headers: { Cookie: cookie } });
    expect(await response.json()).toMatchObject({ isNew: false, userId: 42, name: "Ada", visits: 0 });
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("keeps the session's id stable while the old cookie is still in use", async () => {
    const cookie = await mintHonoCookie({ userId: 1 });
    const app = migratedApp();
    const first = (await (await app.request("/", { headers: { Cookie: cookie } })).json()) as { id: string };
    const second = (await (await app.request("/", { headers: { Cookie: cookie } })).json()) as { id: string };
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(second.id).toBe(first.id);
  });

  it("re-seals the session in our format at its next save: a store without migrateFrom then opens it", async () => {
    const app = migratedApp();
    const b = new TestBrowser((request) => app.fetch(request));
    const [name, value] = (await mintHonoCookie({ userId: 7, name: "Grace" }, { duration: { absolute: 3600 } })).split("=") as [string, string];
    b.cookies.set(name, value);
    const { id } = await b.json("/");
    await b.fetch("/visit", { method: "POST" });
    const resealed = b.cookies.get("sid")!;
    expect(resealed).not.toBe(value);
    expect(resealed.split(".")).toHaveLength(2); // the compact format: kid.sealed
    const plain = new Hono();
    plain.use(sessions("sid", new CookieStore({ secrets: SECRET })));
    plain.get("/", (c) => c.json({ id: getSession(c).id, isNew: getSession(c).isNew, userId: getSession(c).get("userId"), visits: getSession(c).get("visits") }));
    expect(await (await plain.request("/", { headers: { Cookie: b.cookieHeader() } })).json()).toEqual({ id, isNew: false, userId: 7, visits: 1 });
  });

  it("opens nothing from a cookie under another secret, an expired one, a tampered one or junk: a fresh session", async () => {
    const app = migratedApp("a-different-hono-session-secret");
    const valid = await mintHonoCookie({ userId: 1 });
    expect(await (await app.request("/", { headers: { Cookie: valid } })).json()).toMatchObject({ isNew: true, userId: null });
    const ours = migratedApp();
    const expired = await mintHonoCookie({ userId: 2 }, { duration: { absolute: -10 } });
    const tampered = valid.slice(0, -3) + (valid.endsWith("AAA") ? "BBB" : "AAA");
    for (const cookie of [expired, tampered, "sid=junk", "sid=a.b.c.d.e", `sid=${"x".repeat(5000)}`]) {
      const response = await ours.request("/", { headers: { Cookie: cookie } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ isNew: true, userId: null });
    }
  });

  it("with rolling: true, re-seals a cookie that had no exp on the first read", async () => {
    const store = new CookieStore({ secrets: SECRET, migrateFrom: [fromHonoSession({ secret: HONO_SECRET })] });
    const app = new Hono();
    app.use(sessions("sid", store, { rolling: true }));
    app.get("/", (c) => c.json({ userId: getSession(c).get("userId") }));
    const response = await app.request("/", { headers: { Cookie: await mintHonoCookie({ userId: 9 }) } });
    expect(await response.json()).toEqual({ userId: 9 });
    const resealed = response.headers.getSetCookie()[0]!.split(";")[0]!;
    const plain = new Hono();
    plain.use(sessions("sid", new CookieStore({ secrets: SECRET })));
    plain.get("/", (c) => c.json({ userId: getSession(c).get("userId") }));
    expect(await (await plain.request("/", { headers: { Cookie: resealed } })).json()).toEqual({ userId: 9 });
  });

  it("refuses an empty secret, and migrateFrom entries that are not readers, when built", () => {
    expect(() => fromHonoSession({ secret: "" })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    expect(() => new CookieStore({ secrets: SECRET, migrateFrom: [{} as never] })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
  });

  it("names the session by its sid: a base64 sid in base64url, any other by 128 bits of its SHA-256", async () => {
    const cookie = await mintHonoCookie({ userId: 3 });
    const { payload } = await jwtDecrypt(cookie.slice("sid=".length), HONO_KEY);
    const sid = payload.sid as string;
    const { id } = (await (await migratedApp().request("/", { headers: { Cookie: cookie } })).json()) as { id: string };
    expect(id).toBe(Buffer.from(sid, "base64").toString("base64url"));
    const reader = fromHonoSession({ secret: HONO_SECRET });
    const padded = await reader.read("sid", await sealLikeHonoSession({ sid: "AAAA+/BBBBCCCCDDDDEEEEFF==" }));
    expect(padded?.id).toBe("AAAA-_BBBBCCCCDDDDEEEEFF");
    const unpadded = await reader.read("sid", await sealLikeHonoSession({ sid: "AAAA+/BBBBCCCCDDDDEEEEFF" }));
    expect(unpadded?.id).toBe("AAAA-_BBBBCCCCDDDDEEEEFF");
    // Not base64 of at least 22 characters, all of it: named by the hash.
    for (const sid of ["a custom id!", "A", "!AAAABBBBCCCCDDDDEEEEFF", "AAAABBBBCCCCDDDDEEEEFF!", "!".repeat(22), "AAAABBBBCCCCDDDDEEEEFF==="]) {
      const other = await reader.read("sid", await sealLikeHonoSession({ sid }));
      expect(other?.id, sid).toBe(createHash("sha256").update(sid).digest().subarray(0, 16).toString("base64url"));
    }
  });

  it("takes createdAt from iat and expiresAt from exp, and now for either one missing", async () => {
    const reader = fromHonoSession({ secret: HONO_SECRET });
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const dated = await reader.read("sid", await sealLikeHonoSession({ sid: "a custom id!", iat: 1_700_000_000, exp, userId: 5 }));
    expect(dated).toMatchObject({ createdAt: 1_700_000_000_000, expiresAt: exp * 1000 });
    expect(Object.fromEntries(dated!.data)).toEqual({ userId: 5 });
    const token = await sealLikeHonoSession({ sid: "a custom id!" });
    const before = Date.now();
    const undated = await reader.read("sid", token);
    const after = Date.now();
    for (const at of [undated!.createdAt, undated!.expiresAt]) {
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    }
  });

  it("opens no token without a string sid, an empty sid, or under another key management than dir", async () => {
    const reader = fromHonoSession({ secret: HONO_SECRET });
    for (const claims of [{}, { sid: "" }, { sid: 12345 }, { sid: null }]) {
      expect(await reader.read("sid", await sealLikeHonoSession({ ...claims, userId: 1 }))).toBeUndefined();
    }
    expect(await reader.read("sid", await sealLikeHonoSession({ sid: "a custom id!" }, "A256GCMKW"))).toBeUndefined();
  });

  it("takes only compact JWE shapes: not junk, not a valid token with padding appended", async () => {
    const reader = fromHonoSession({ secret: HONO_SECRET });
    const value = (await mintHonoCookie({ userId: 1 })).slice("sid=".length);
    expect(reader.isWellFormed!(value)).toBe(true);
    expect(reader.isWellFormed!("junk")).toBe(false);
    expect(reader.isWellFormed!(`${value}==`)).toBe(false);
    expect(await reader.read("sid", value)).toMatchObject({ data: new Map([["userId", 1]]) });
    expect(await reader.read("sid", `${value}==`)).toBeUndefined();
  });

  it("review 3, finding 4: opens a cookie only under the session name it was configured for (sid by default, or name)", async () => {
    const cookie = await mintHonoCookie({ userId: 11 });
    const value = cookie.slice("sid=".length);
    // Replayed under another session name of the same store: a fresh session, not sid's data.
    const store = new CookieStore({ secrets: SECRET, migrateFrom: [fromHonoSession({ secret: HONO_SECRET })] });
    const app = new Hono();
    app.use(manySessions(["sid", "cart"], store));
    app.get("/", (c) => c.json({ sid: getSession(c, "sid").get("userId") ?? null, cart: getSession(c, "cart").get("userId") ?? null, cartIsNew: getSession(c, "cart").isNew }));
    expect(await (await app.request("/", { headers: { Cookie: `cart=${value}` } })).json()).toEqual({ sid: null, cart: null, cartIsNew: true });
    expect(await (await app.request("/", { headers: { Cookie: `sid=${value}` } })).json()).toEqual({ sid: 11, cart: null, cartIsNew: true });
    // A reader given another name reads that name only.
    const renamed = fromHonoSession({ secret: HONO_SECRET, name: "auth" });
    expect(await renamed.read("auth", value)).toMatchObject({ data: new Map([["userId", 11]]) });
    expect(await renamed.read("sid", value)).toBeUndefined();
    expect(await fromHonoSession({ secret: HONO_SECRET }).read("cart", value)).toBeUndefined();
    for (const name of ["", 42, null]) {
      expect(() => fromHonoSession({ secret: HONO_SECRET, name: name as never })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    }
  });

  it("refuses a secret that is not a string when built", () => {
    for (const secret of [undefined, 42, ["a-secret"]]) {
      expect(() => fromHonoSession({ secret: secret as never })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    }
  });
});
