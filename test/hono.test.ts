import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getSession, loadSession, manySessions, sessions } from "../adapters/hono.ts";
import type { SessionEnv } from "../adapters/hono.ts";
import { SessionError } from "../src/errors.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import type { SessionWrite, Store } from "../src/store.ts";
import { SECRET, TestBrowser, setCookieFor } from "./support/browser.ts";

interface Profile {
  user: string;
  visits: number;
}

function withErrorCodes(app: Hono<any>) {
  app.onError((error, c) => c.text(error instanceof SessionError ? error.code : "other", 500));
  return app;
}

describe("Hono adapter", () => {
  it("types c.var.session and getSession through the Env generic", async () => {
    const app = new Hono<SessionEnv<Profile>>();
    app.use(sessions<Profile>("session", new MemoryStore({ secrets: SECRET })));
    app.get("/", async (c) => {
      const visits: number = (c.var.session.get("visits") ?? 0) + 1;
      c.var.session.set("visits", visits);
      await getSession<Profile>(c).save();
      return c.json({ visits, same: c.var.session === getSession<Profile>(c) });
    });
    const b = new TestBrowser((request) => app.fetch(request));
    expect(await b.json("/")).toEqual({ visits: 1, same: true });
    expect(await b.json("/")).toEqual({ visits: 2, same: true });
  });

  it("throws ERR_SESSION_MISSING without the middleware or for an unknown name", async () => {
    const app = withErrorCodes(new Hono());
    app.get("/none", (c) => c.json(getSession(c).id));
    app.use("/many/*", manySessions(["a", "b"], new CookieStore({ secrets: SECRET })));
    app.get("/many/unnamed", (c) => c.json(getSession(c).id));
    app.get("/many/unknown", (c) => c.json(getSession(c, "c").id));
    for (const path of ["/none", "/many/unnamed", "/many/unknown"]) {
      const response = await app.request(path);
      expect([path, response.status, await response.text()]).toEqual([path, 500, "ERR_SESSION_MISSING"]);
    }
  });

  it("throws configuration errors when the middleware is built", () => {
    const store = new CookieStore({ secrets: SECRET });
    expect(() => sessions("__Host-s", store, { cookie: { path: "/app" } })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_CONFIG" }),
    );
    expect(() => manySessions(["a", "a"], store)).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
  });

  it("rejects a save whose per-session options break the cookie's prefix rules", async () => {
    const app = withErrorCodes(new Hono());
    app.use(sessions("__Host-s", new CookieStore({ secrets: SECRET })));
    app.get("/", async (c) => {
      getSession(c).options({ domain: "example.com" });
      await getSession(c).save();
      return c.text("saved");
    });
    const response = await app.request("/");
    expect([response.status, await response.text()]).toEqual([500, "ERR_SESSION_CONFIG"]);
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });

  it("sends the error handler's answer when the store is down", async () => {
    const down: Store = {
      load: () => Promise.reject(new Error("ECONNREFUSED")),
      save: (_: string, __: SessionWrite) => Promise.reject(new Error("ECONNREFUSED")),
      destroy: () => Promise.reject(new Error("ECONNREFUSED")),
    };
    const app = withErrorCodes(new Hono());
    app.use(sessions("session", down));
    app.get("/", async (c) => {
      getSession(c).set("k", 1);
      await getSession(c).save();
      return c.text("saved");
    });
    const response = await app.request("/", { headers: { Cookie: "session=anything" } });
    expect([response.status, await response.text()]).toEqual([500, "ERR_SESSION_STORE"]);
  });

  it("after a handler error, keeps the cookies of explicit saves and auto-saves nothing", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const app = withErrorCodes(new Hono());
    app.use(manySessions(["saved", "pending"], store, { autoSave: true }));
    app.get("/", async (c) => {
      getSession(c, "saved").set("k", 1);
      await getSession(c, "saved").save();
      getSession(c, "pending").set("k", 2);
      throw new Error("boom");
    });
    const response = await app.request("/");
    expect(response.status).toBe(500);
    expect(setCookieFor(response, "saved")).toBeDefined();
    expect(setCookieFor(response, "pending")).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it("auto-saves, and works alongside other middlewares that set cookies", async () => {
    const app = new Hono();
    app.use(sessions("a", new CookieStore({ secrets: SECRET }), { autoSave: true }));
    app.use(sessions("b", new MemoryStore({ secrets: SECRET }), { autoSave: true }));
    app.get("/", (c) => {
      getSession(c, "a").set("k", "from a");
      getSession(c, "b").set("k", "from b");
      c.header("Set-Cookie", "theme=dark", { append: true });
      return c.redirect("/next");
    });
    app.get("/next", (c) => c.json([getSession(c, "a").get("k"), getSession(c, "b").get("k")]));
    const b = new TestBrowser((request) => app.fetch(request));
    const response = await b.fetch("/");
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie().map((line) => line.split("=")[0]).sort()).toEqual(["a", "b", "theme"]);
    expect(await b.json("/next")).toEqual(["from a", "from b"]);
  });
  it("adds every session's cookie to a response whose headers are immutable", async () => {
    const app = new Hono();
    app.use(manySessions(["a", "b"], new CookieStore({ secrets: SECRET }), { autoSave: true }));
    app.get("/", (c) => {
      getSession(c, "a").set("k", 1);
      getSession(c, "b").set("k", 2);
      return Response.redirect("http://localhost/next", 302);
    });
    const response = await app.request("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("http://localhost/next");
    expect(response.headers.getSetCookie().map((line) => line.split("=")[0]).sort()).toEqual(["a", "b"]);
  });

  it("with lazy: true, sets c.var.session to the first session once loaded, never to another", async () => {
    const app = new Hono<SessionEnv>();
    app.use(manySessions(["a", "b"], new CookieStore({ secrets: SECRET }), { lazy: true }));
    app.get("/b", async (c) => {
      await loadSession(c, "b");
      return c.json({ session: c.var.session === undefined ? "none" : "set" });
    });
    app.get("/b-then-a", async (c) => {
      await loadSession(c, "b");
      const a = await loadSession(c, "a");
      return c.json({ first: c.var.session === a });
    });
    app.get("/a-then-b", async (c) => {
      const a = await loadSession(c, "a");
      await loadSession(c, "b");
      return c.json({ first: c.var.session === a });
    });
    expect(await (await app.request("/b")).json()).toEqual({ session: "none" });
    expect(await (await app.request("/b-then-a")).json()).toEqual({ first: true });
    expect(await (await app.request("/a-then-b")).json()).toEqual({ first: true });
  });

  it("loadSession leaves c.var.session alone when an earlier middleware set it", async () => {
    const app = new Hono<SessionEnv>();
    app.use(sessions("a", new CookieStore({ secrets: SECRET })));
    app.use(sessions("b", new CookieStore({ secrets: SECRET }), { lazy: true }));
    app.get("/", async (c) => {
      const b = await loadSession(c, "b");
      return c.json({ a: c.var.session === getSession(c, "a"), b: c.var.session === b });
    });
    expect(await (await app.request("/")).json()).toEqual({ a: true, b: false });
  });
});
