// The click-through demo (examples/demo): sign in, visit counter, flash once, sign out.
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { CookieStore, MemoryStore } from "../src/index.ts";
import { createApp } from "../examples/demo/app.ts";
import { app as serverApp } from "../examples/demo/server.ts";

const SECRET = "demo-test-secret-at-least-32-characters-long";

/** The session cookie's `name=value` from a response, or undefined when it sets none. */
function sessionCookie(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((each) => each.startsWith("session="));
  return line?.split(";")[0];
}

/** The id inside a MemoryStore cookie (`kid.exp.id.mac`). */
function idOf(cookie: string): string | undefined {
  return cookie.slice("session=".length).split(".")[2];
}

function form(fields: Record<string, string>): { method: string; body: URLSearchParams } {
  return { method: "POST", body: new URLSearchParams(fields) };
}

function setup(options?: Parameters<typeof createApp>[1]) {
  const store = new MemoryStore({ secrets: SECRET, owner: "user" });
  const app = createApp(store, options);
  const get = (path: string, cookie?: string) => app.request(path, { headers: cookie ? { Cookie: cookie } : {} });
  const post = (path: string, fields: Record<string, string>, cookie?: string) =>
    app.request(path, { ...form(fields), headers: cookie ? { Cookie: cookie } : {} });
  async function login(username = "alice", cookie?: string): Promise<string> {
    const response = await post("/login", { username, password: "password" }, cookie);
    expect(response.status).toBe(302);
    const set = sessionCookie(response);
    expect(set).toBeDefined();
    return set!;
  }
  return { store, app, get, post, login };
}

describe("demo: signed out", () => {
  it("redirects / to /login without a cookie, and starts no session", async () => {
    const { get, store } = setup();
    const response = await get("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(store.size).toBe(0);
  });

  it("shows the login form and says which password works", async () => {
    const { get } = setup();
    const response = await get("/login");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).toContain('name="username"');
    expect(html).toContain('name="password"');
    expect(html).toContain("<code>password</code>");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("refuses a wrong password with 401, an error and no session", async () => {
    const { post, store } = setup();
    const response = await post("/login", { username: "alice", password: "wrong" });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Wrong username or password.");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(store.size).toBe(0);
  });

  it("refuses an empty username", async () => {
    const { post } = setup();
    const response = await post("/login", { username: "   ", password: "password" });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("escapes the username it echoes back into the form", async () => {
    const { post } = setup();
    const response = await post("/login", { username: '"><script>alert(1)</script>', password: "no" });
    const html = await response.text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("demo: signed in", () => {
  it("logs in, shows the flash once and counts visits 1, 2, 3", async () => {
    const { get, login } = setup();
    const cookie = await login("alice");

    const pages: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await get("/", cookie);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      pages.push(await response.text());
    }
    for (const [i, html] of pages.entries()) {
      expect(html).toContain("Signed in as <strong>alice</strong>");
      expect(html).toContain(`<strong id="visits">${i + 1}</strong>`);
      expect(html).toContain('<form method="post" action="/logout">');
    }
    expect(pages[0]).toContain("Welcome, alice!");
    expect(pages[1]).not.toContain("Welcome");
    expect(pages[2]).not.toContain("Welcome");
  });

  it("redirects to / with a Secure, HttpOnly, SameSite=Lax cookie", async () => {
    const { post } = setup();
    const response = await post("/login", { username: "alice", password: "password" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    const [line] = response.headers.getSetCookie();
    expect(line).toMatch(/^session=/);
    expect(line).toMatch(/; HttpOnly(;|$)/);
    expect(line).toMatch(/; Secure(;|$)/);
    expect(line).toMatch(/; SameSite=Lax(;|$)/);
  });

  it("drops Secure only when asked (SECURE_COOKIES=false)", async () => {
    const { post } = setup({ secureCookies: false });
    const [line] = (await post("/login", { username: "alice", password: "password" })).headers.getSetCookie();
    expect(line).not.toMatch(/Secure/);
    expect(line).toMatch(/; HttpOnly(;|$)/);
    expect(line).toMatch(/; SameSite=Lax(;|$)/);
  });

  it("regenerates the id at login: the cookie sent in no longer works", async () => {
    const { get, login, store } = setup();
    const before = await login("alice");
    expect((await get("/", before)).status).toBe(200);

    // Signing in again over an existing session (as after a planted cookie) must change its id.
    const after = await login("bob", before);
    expect(idOf(after)).toBeDefined();
    expect(idOf(after)).not.toBe(idOf(before));
    expect(store.size).toBe(1);

    const old = await get("/", before);
    expect(old.status).toBe(302);
    expect(old.headers.get("Location")).toBe("/login");

    const html = await (await get("/", after)).text();
    expect(html).toContain("Signed in as <strong>bob</strong>");
    expect(html).toContain("Welcome, bob!");
  });

  it("escapes the username on the home page and in the flash", async () => {
    const { get, login } = setup();
    const cookie = await login("<img src=x onerror=alert(1)>");
    const html = await (await get("/", cookie)).text();
    expect(html).not.toContain("<img");
    expect(html).toContain("Signed in as <strong>&lt;img src=x onerror=alert(1)&gt;</strong>");
    expect(html).toContain("Welcome, &lt;img src=x onerror=alert(1)&gt;!");
  });

  it("logs out: the cookie is deleted and the old one leads back to /login", async () => {
    const { get, post, login, store } = setup();
    const cookie = await login("alice");
    expect((await get("/", cookie)).status).toBe(200);

    const response = await post("/logout", {}, cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login");
    const [line] = response.headers.getSetCookie();
    expect(line).toMatch(/^session=; Max-Age=0;/);
    expect(store.size).toBe(0);

    // A copy of the old cookie (say, stolen before logout) is worthless now.
    const after = await get("/", cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toBe("/login");
  });
});

describe("demo: your sessions", () => {
  it("lists the user's sessions, marks this browser, and signs out everywhere else", async () => {
    const { get, post, login } = setup();
    const laptop = await login("alice");
    const phone = await login("alice");
    const bob = await login("bob");

    const short = (cookie: string) => idOf(cookie)!.slice(0, 8);
    const page = await (await get("/sessions", laptop)).text();
    expect(page.match(/<tr data-session=/g)).toHaveLength(2);
    expect(page).toContain(`<tr data-session="${short(phone)}">`);
    expect(page).not.toContain(short(bob));
    expect(page.match(/this browser/g)).toHaveLength(1);
    expect(page).toMatch(new RegExp(`<tr data-session="${short(laptop)}">.*this browser`));

    const signOut = await post("/sessions/sign-out-others", {}, laptop);
    expect(signOut.status).toBe(302);
    expect(signOut.headers.get("Location")).toBe("/sessions");
    const after = await (await get("/sessions", sessionCookie(signOut) ?? laptop)).text();
    expect(after).toContain("Signed out 1 other session.");
    expect(after.match(/<tr data-session=/g)).toHaveLength(1);

    expect((await get("/", phone)).headers.get("Location")).toBe("/login");
    expect((await get("/", laptop)).status).toBe(200);
    expect((await get("/", bob)).status).toBe(200);
  });

  it("sends a signed-out visitor to /login", async () => {
    const { get, post } = setup();
    expect((await get("/sessions")).headers.get("Location")).toBe("/login");
    expect((await post("/sessions/sign-out-others", {})).headers.get("Location")).toBe("/login");
  });

  it("has no sessions page on a store without an owner index", async () => {
    const app = createApp(new CookieStore({ secrets: SECRET }));
    const login = await app.request("/login", form({ username: "alice", password: "password" }));
    const cookie = sessionCookie(login)!;
    expect(await (await app.request("/", { headers: { Cookie: cookie } })).text()).not.toContain("/sessions");
    expect((await app.request("/sessions", { headers: { Cookie: cookie } })).status).toBe(404);
  });
});

describe("demo: server.ts", () => {
  it("builds the app without listening when imported", async () => {
    const response = await serverApp.request("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login");
  });

  it("runs a whole login over real HTTP", async () => {
    const app = createApp(new MemoryStore({ secrets: SECRET }));
    const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
        resolve({ server, port: info.port }),
      );
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      const start = await fetch(`${base}/`, { redirect: "manual" });
      expect(start.status).toBe(302);
      expect(start.headers.get("Location")).toBe("/login");

      const login = await fetch(`${base}/login`, {
        method: "POST",
        body: new URLSearchParams({ username: "alice", password: "password" }),
        redirect: "manual",
      });
      expect(login.status).toBe(302);
      expect(login.headers.get("Location")).toBe("/");
      const cookie = sessionCookie(login);
      expect(cookie).toBeDefined();

      const home = await fetch(`${base}/`, { headers: { Cookie: cookie! }, redirect: "manual" });
      expect(home.status).toBe(200);
      const html = await home.text();
      expect(html).toContain("Signed in as <strong>alice</strong>");
      expect(html).toContain("Welcome, alice!");

      const logout = await fetch(`${base}/logout`, { method: "POST", headers: { Cookie: cookie! }, redirect: "manual" });
      expect(logout.status).toBe(302);
      expect(logout.headers.get("Location")).toBe("/login");

      const again = await fetch(`${base}/`, { headers: { Cookie: cookie! }, redirect: "manual" });
      expect(again.status).toBe(302);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
