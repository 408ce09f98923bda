import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { SessionError } from "../../src/errors.ts";
import { CookieStore } from "../../src/stores/cookie.ts";
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
});
