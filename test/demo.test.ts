// The click-through demo (examples/demo): sign in, visit counter, flash once, sign out.
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { getSession, sessions } from "../adapters/hono.ts";
import { CookieStore, MemoryStore } from "../src/index.ts";
import { DEVICE_LISTING, createApp } from "../examples/demo/app.ts";
import { describeDevice } from "../examples/demo/device.ts";
import { deviceHandle } from "../examples/demo/devices.ts";
import { lastActive } from "../examples/demo/devices-view.ts";
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

// app.request() runs on http://localhost: a form posted from one of the demo's own pages says so.
const ORIGIN = "http://localhost";

/** A form POST as a browser sends it from one of the demo's pages. */
function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", body: new URLSearchParams(fields), headers: { Origin: ORIGIN, ...headers } };
}

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

function setup(options?: Parameters<typeof createApp>[1]) {
  const store = new MemoryStore({ secrets: SECRET, ...DEVICE_LISTING });
  const app = createApp(store, options);
  const get = (path: string, cookie?: string) => app.request(path, { headers: cookie ? { Cookie: cookie } : {} });
  const post = (path: string, fields: Record<string, string>, cookie?: string, headers: Record<string, string> = {}) =>
    app.request(path, form(fields, { ...headers, ...(cookie ? { Cookie: cookie } : {}) }));
  async function login(username = "alice", cookie?: string, { remember = true, userAgent = FIREFOX } = {}): Promise<string> {
    const fields = { username, password: "password", ...(remember ? { remember: "on" } : {}) };
    const response = await post("/login", fields, cookie, { "User-Agent": userAgent });
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
    expect(html).toContain('<main class="narrow">');
    expect(html).toContain('<input type="checkbox" name="remember" value="on">');
    expect(html).not.toContain('role="status"');
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

  it("refuses a username or password sent as a file", async () => {
    const { app } = setup();
    for (const field of ["username", "password"]) {
      const body = new FormData();
      body.set("username", "alice");
      body.set("password", "password");
      body.set(field, new Blob(["alice"]), "alice.txt");
      const response = await app.request("/login", { method: "POST", body, headers: { Origin: ORIGIN } });
      expect(response.status).toBe(401);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
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
      expect(html).toContain(`<b id="visits">${i + 1}</b>`);
      expect(html).toContain('<main class="wide">');
      expect(html).toContain('<a href="/" aria-current="page">Home</a>');
      expect(html).toContain('<a href="/devices">Devices</a>');
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

/** The devices listed on a page, as (handle, text of the row) pairs, in page order. */
function devices(html: string): { handle: string; text: string }[] {
  return [...html.matchAll(/<li class="device[^"]*" data-device="([^"]+)">([\s\S]*?)<\/li>/g)].map(([, handle, row]) => ({
    handle: handle!,
    text: row!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(),
  }));
}

const handleOf = (cookie: string) => deviceHandle(idOf(cookie)!);

describe("demo: devices", () => {
  it("lists the user's browsers with their browser and OS, this browser first, and no one else's", async () => {
    const { get, login } = setup();
    const laptop = await login("alice", undefined, { userAgent: FIREFOX });
    const phone = await login("alice", undefined, { userAgent: IPHONE });
    const bob = await login("bob");

    const response = await get("/devices", laptop);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const html = await response.text();
    const rows = devices(html);
    expect(rows.map((row) => row.handle)).toEqual([await handleOf(laptop), await handleOf(phone)]);
    expect(rows[0]!.text).toMatch(/^Firefox 133 on Windows Signed in \d+ \w{3} \d{4}, \d\d:\d\d UTC · Active now This browser$/);
    expect(rows[1]!.text).toMatch(/^Safari 17 on iOS Signed in .* UTC · Active in the last 5 minutes Sign out$/);
    expect(html).toContain('<span id="device-count">2</span> devices');
    expect(html).toContain('<a href="/devices" aria-current="page">Devices</a>');
    expect(html).toContain('<a href="/">Home</a>');
    expect(html).not.toContain(await handleOf(bob));
    // The page names sessions by a digest only: no cookie's id appears in it.
    for (const cookie of [laptop, phone, bob]) expect(html).not.toContain(idOf(cookie)!);
  });

  it("shows when each browser signed in, to the minute", async () => {
    const { get, login } = setup();
    const before = Date.now();
    const cookie = await login("alice");
    const html = await (await get("/devices", cookie)).text();
    const shown = /<time datetime="([^"]+)">/.exec(html)![1]!;
    expect(Date.parse(shown)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(shown)).toBeLessThanOrEqual(Date.now());
  });

  it("signs out one other browser of the user, by the handle in its row", async () => {
    const { get, post, login } = setup();
    const laptop = await login("alice", undefined, { userAgent: FIREFOX });
    const phone = await login("alice", undefined, { userAgent: IPHONE });
    const tablet = await login("alice");

    const signOut = await post("/devices/sign-out", { device: await handleOf(phone) }, laptop);
    expect(signOut.status).toBe(302);
    expect(signOut.headers.get("Location")).toBe("/devices");
    const html = await (await get("/devices", sessionCookie(signOut) ?? laptop)).text();
    expect(html).toContain('<p class="notice ok" role="status">Signed out Safari 17 on iOS.</p>');
    expect(devices(html).map((row) => row.handle)).toEqual([await handleOf(laptop), await handleOf(tablet)]);

    expect((await get("/", phone)).headers.get("Location")).toBe("/login");
    expect((await get("/", laptop)).status).toBe(200);
    expect((await get("/", tablet)).status).toBe(200);
  });

  it("never signs out another user's session, nor the current one, nor an unknown handle", async () => {
    const { get, post, login } = setup();
    const alice = await login("alice");
    const bob = await login("bob");
    const bobsPhone = await login("bob");

    for (const device of [await handleOf(bob), await handleOf(bobsPhone), await handleOf(alice), "nonsense", ""]) {
      const response = await post("/devices/sign-out", { device }, alice);
      expect(response.headers.get("Location")).toBe("/devices");
      expect(await (await get("/devices", alice)).text()).toContain("That device is already signed out.");
    }
    expect((await get("/", alice)).status).toBe(200);
    expect((await get("/", bob)).status).toBe(200);
    expect((await get("/", bobsPhone)).status).toBe(200);
    expect(devices(await (await get("/devices", bob)).text())).toHaveLength(2);
  });

  it("signs out all other browsers", async () => {
    const { get, post, login } = setup();
    const laptop = await login("alice");
    const phone = await login("alice");
    const tablet = await login("alice");
    const bob = await login("bob");
    expect(await (await get("/devices", laptop)).text()).toContain("Sign out all other devices");

    const signOut = await post("/devices/sign-out-others", {}, laptop);
    expect(signOut.status).toBe(302);
    expect(signOut.headers.get("Location")).toBe("/devices");
    const after = await (await get("/devices", sessionCookie(signOut) ?? laptop)).text();
    expect(after).toContain("Signed out 2 other devices.");
    expect(devices(after).map((row) => row.handle)).toEqual([await handleOf(laptop)]);
    expect(after).toContain('<span id="device-count">1</span> device.');
    expect(after).toContain("No other device is signed in.");
    expect(after).not.toContain("Sign out all other devices");

    for (const cookie of [phone, tablet]) expect((await get("/", cookie)).headers.get("Location")).toBe("/login");
    expect((await get("/", laptop)).status).toBe(200);
    expect((await get("/", bob)).status).toBe(200);

    const phoneAgain = await login("alice");
    const once = await post("/devices/sign-out-others", {}, laptop);
    expect(await (await get("/devices", sessionCookie(once) ?? laptop)).text()).toContain("Signed out 1 other device.");
    expect((await get("/", phoneAgain)).headers.get("Location")).toBe("/login");

    const again = await post("/devices/sign-out-others", {}, laptop);
    expect(await (await get("/devices", sessionCookie(again) ?? laptop)).text()).toContain("Signed out 0 other devices.");
  });

  it("puts this browser first, then the others by last activity, and says how long ago", async () => {
    const { get, login } = setup();
    const start = Date.UTC(2026, 11, 3, 9, 0);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(start);
      const phone = await login("alice", undefined, { userAgent: IPHONE });
      vi.setSystemTime(start + 10 * 60_000);
      const tablet = await login("alice", undefined, { userAgent: "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1" });
      vi.setSystemTime(start + 20 * 60_000);
      const laptop = await login("alice", undefined, { userAgent: FIREFOX });
      vi.setSystemTime(start + 31 * 60_000);
      const rows = devices(await (await get("/devices", laptop)).text());
      expect(rows.map((row) => row.handle)).toEqual([await handleOf(laptop), await handleOf(tablet), await handleOf(phone)]);
      expect(rows.map((row) => row.text.replace(/ Sign out$| This browser$/, ""))).toEqual([
        "Firefox 133 on Windows Signed in 3 Dec 2026, 09:20 UTC · Active now",
        "Safari 17 on iOS Signed in 3 Dec 2026, 09:10 UTC · Active 21 minutes ago",
        "Safari 17 on iOS Signed in 3 Dec 2026, 09:00 UTC · Active 31 minutes ago",
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows the time of the last sign-in on a browser that signs in again", async () => {
    const { get, login } = setup();
    const start = Date.UTC(2026, 11, 3, 9, 0);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(start);
      const first = await login("alice");
      vi.setSystemTime(start + 30 * 60_000);
      const again = await login("alice", first);
      expect(devices(await (await get("/devices", again)).text()).map((row) => row.text)).toEqual([
        "Firefox 133 on Windows Signed in 3 Dec 2026, 09:30 UTC · Active now This browser",
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("lists a session that holds none of the listed keys as an unknown browser, signed in when it began", async () => {
    const { store, get, login } = setup();
    // Another part of the app (or an older version of it) signs sessions in without them.
    const other = new Hono();
    other.use(sessions<{ user: string }>("session", store));
    other.post("/", async (c) => {
      getSession<{ user: string }>(c).set("user", "alice");
      await getSession(c).save();
      return c.body(null, 204);
    });
    const bare = sessionCookie(await other.request("/", { method: "POST" }))!;
    const cookie = await login("alice");
    const [info] = (await store.list("alice")).filter((each) => each.id === idOf(bare));
    const row = devices(await (await get("/devices", cookie)).text()).find((each) => each.text.endsWith("Sign out"))!;
    expect(row.handle).toBe(await handleOf(bare));
    expect(row.text).toMatch(/^Unknown browser Signed in /);
    expect(row.text).toContain(`${new Date(info!.createdAt).toISOString().slice(11, 16)} UTC`);
  });

  it("keeps at most 512 characters of a user agent, and names a browser it cannot place honestly", async () => {
    const { get, login, store } = setup();
    const cookie = await login("alice", undefined, { userAgent: "x".repeat(2000) });
    const [info] = await store.list("alice");
    expect(info?.data?.userAgent).toBe("x".repeat(512));
    expect(devices(await (await get("/devices", cookie)).text())[0]!.text).toMatch(/^Unknown browser Signed in/);
  });

  it("sends a signed-out visitor to /login", async () => {
    const { get, post } = setup();
    expect((await get("/devices")).headers.get("Location")).toBe("/login");
    expect((await post("/devices/sign-out", { device: "x" })).headers.get("Location")).toBe("/login");
    expect((await post("/devices/sign-out-others", {})).headers.get("Location")).toBe("/login");
  });

  it("has no devices page on a store without an owner index", async () => {
    const app = createApp(new CookieStore({ secrets: SECRET }));
    const login = await app.request("/login", form({ username: "alice", password: "password" }));
    const cookie = sessionCookie(login)!;
    expect(await (await app.request("/", { headers: { Cookie: cookie } })).text()).not.toContain("/devices");
    expect((await app.request("/devices", { headers: { Cookie: cookie } })).status).toBe(404);
  });
});

describe("demo: remember me", () => {
  const maxAge = (cookie: string | undefined) => /; Max-Age=(\d+)/.exec(cookie ?? "")?.[1];
  const loginLine = async (post: ReturnType<typeof setup>["post"], fields: Record<string, string>, cookie?: string) =>
    (await post("/login", { username: "alice", password: "password", ...fields }, cookie)).headers.getSetCookie().find((line) => line.startsWith("session="));

  it("ticked, keeps the cookie for 30 days; unticked, until the browser closes, and so on later saves", async () => {
    const { get, post } = setup();
    const remembered = await loginLine(post, { remember: "on" });
    expect(maxAge(remembered)).toBe(String(30 * 24 * 3600));

    const forgotten = await loginLine(post, {});
    expect(forgotten).toBeDefined();
    expect(forgotten).not.toMatch(/Max-Age|Expires/);
    // The visit counter saves the session on every page: the cookie stays a browser-session one.
    const visit = (await get("/", forgotten!.split(";")[0])).headers.getSetCookie().find((line) => line.startsWith("session="));
    expect(visit ?? forgotten).not.toMatch(/Max-Age|Expires/);
  });

  it("signing in again with it ticked makes an unticked session persistent", async () => {
    const { post } = setup();
    const forgotten = (await loginLine(post, {}))!.split(";")[0];
    const remembered = await loginLine(post, { remember: "on" }, forgotten);
    expect(maxAge(remembered)).toBe(String(30 * 24 * 3600));
  });
});

describe("demo: forms only from the demo's own pages", () => {
  it("turns away a POST from another origin before it touches a session", async () => {
    const { app, get, login, store } = setup();
    const cookie = await login("alice");
    const size = store.size;
    for (const path of ["/login", "/logout", "/devices/sign-out-others"]) {
      const response = await app.request(path, form({ username: "mallory", password: "password" }, { Origin: "https://evil.example", Cookie: cookie }));
      expect(response.status).toBe(403);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(store.size).toBe(size);
    expect((await get("/", cookie)).status).toBe(200);
  });

  it("turns away a form POST that names no origin at all, and takes one a browser marks same-origin", async () => {
    const { app } = setup();
    const bare = await app.request("/login", { method: "POST", body: new URLSearchParams({ username: "alice", password: "password" }) });
    expect(bare.status).toBe(403);
    const fetchMetadata = await app.request("/login", {
      method: "POST",
      body: new URLSearchParams({ username: "alice", password: "password" }),
      headers: { "Sec-Fetch-Site": "same-origin" },
    });
    expect(fetchMetadata.status).toBe(302);
  });
});

describe("demo: X-Instance", () => {
  it("names the instance that answered when it has a name, and only then", async () => {
    expect((await setup({ instance: "B" }).get("/login")).headers.get("X-Instance")).toBe("B");
    expect((await setup().get("/login")).headers.has("X-Instance")).toBe(false);
  });
});

describe("demo: how a device is described", () => {
  it("names the browser, its version and the OS, and tells phones and tablets from computers", () => {
    expect(describeDevice(FIREFOX)).toEqual({ name: "Firefox 133 on Windows", kind: "computer" });
    expect(describeDevice(IPHONE)).toEqual({ name: "Safari 17 on iOS", kind: "phone" });
    const ipad = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    expect(describeDevice(ipad)).toEqual({ name: "Safari 17 on iOS", kind: "tablet" });
    const edge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86";
    expect(describeDevice(edge)).toEqual({ name: "Microsoft Edge 131 on macOS", kind: "computer" });
  });

  it("says what it does not know instead of guessing", () => {
    expect(describeDevice(undefined)).toEqual({ name: "Unknown browser", kind: "computer" });
    expect(describeDevice(42)).toEqual({ name: "Unknown browser", kind: "computer" });
    expect(describeDevice("facebookexternalhit/1.1")).toEqual({ name: "FacebookExternalHit", kind: "computer" });
    expect(describeDevice("Opera/9.80 (Windows NT 6.1)")).toEqual({ name: "Opera 9 on Windows", kind: "computer" });
    expect(describeDevice("")).toEqual({ name: "Unknown browser", kind: "computer" });
    expect(describeDevice("curl/8.5.0")).toEqual({ name: "Unknown browser", kind: "computer" });
  });

  it("says when a browser was last active, no more precisely than the store knows (five minutes)", () => {
    const now = Date.UTC(2026, 11, 3, 12);
    const minutes = (n: number) => now - n * 60_000;
    expect(lastActive(now, now)).toBe("Active in the last 5 minutes");
    expect(lastActive(minutes(4.9), now)).toBe("Active in the last 5 minutes");
    expect(lastActive(minutes(5), now)).toBe("Active 5 minutes ago");
    expect(lastActive(minutes(59.9), now)).toBe("Active 59 minutes ago");
    expect(lastActive(minutes(60), now)).toBe("Active 1 hour ago");
    expect(lastActive(minutes(47.9 * 60), now)).toBe("Active 47 hours ago");
    expect(lastActive(minutes(48 * 60), now)).toBe("Active 2 days ago");
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
        headers: { Origin: base },
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

      const logout = await fetch(`${base}/logout`, { method: "POST", headers: { Cookie: cookie!, Origin: base }, redirect: "manual" });
      expect(logout.status).toBe(302);
      expect(logout.headers.get("Location")).toBe("/login");

      const again = await fetch(`${base}/`, { headers: { Cookie: cookie! }, redirect: "manual" });
      expect(again.status).toBe(302);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
