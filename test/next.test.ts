// The Next.js adapter inside Next.js: the app in test/next-app is built once (`next build`), served
// with `next start` on a free port, and driven over HTTP like a browser without JavaScript would:
// forms post to Server Actions, pages are Server Components, the counters are Route Handlers on
// the Node.js and the Edge runtime, and the proxy (Middleware) guards /members.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET, TestBrowser } from "./support/browser.ts";
import { type NextServer, buildNextApp, startNextApp } from "./support/next-app.ts";

const appDir = join(import.meta.dirname, "next-app");
const env = { SESSION_SECRET: SECRET };
let server: NextServer;

beforeAll(async () => {
  const buildMs = await buildNextApp(appDir, env);
  console.info(`next build of test/next-app took ${(buildMs / 1000).toFixed(1)} s`);
  server = await startNextApp(appDir, env);
}, 600_000);

afterAll(async () => {
  await server?.stop();
}, 30_000);

/** A cookie-keeping client of the app that follows no redirect, so each Set-Cookie is seen. */
function browser(): TestBrowser {
  return new TestBrowser((request) => fetch(request, { redirect: "manual" }), server.base);
}

/** The text of the element with `id` on a rendered page. */
function textOf(html: string, id: string): string | undefined {
  return html.match(new RegExp(`id="${id}">([^<]*)<`))?.[1];
}

async function page(b: TestBrowser, path = "/"): Promise<string> {
  const response = await b.fetch(path);
  expect(response.status, `GET ${path}`).toBe(200);
  return response.text();
}

/** Submits the page's form the way a browser without JavaScript does: to the Server Action it names. */
async function submit(b: TestBrowser, fields: Record<string, string> = {}, path = "/"): Promise<Response> {
  const html = await page(b, path);
  const action = html.match(/name="(\$ACTION_ID_[0-9a-f]+)"/)?.[1];
  expect(action, "the page renders a Server Action form").toBeDefined();
  const form = new FormData();
  form.set(action!, "");
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return b.fetch(path, { method: "POST", body: form });
}

async function signIn(b: TestBrowser, user: string, note = ""): Promise<Response> {
  const response = await submit(b, { user, note });
  expect(response.status).toBe(303);
  expect(response.headers.get("Location")).toBe("/");
  return response;
}

describe("web-sessions/next in a built Next.js app", { timeout: 60_000 }, () => {
  it("signs in through a Server Action and reads the session in a Server Component", async () => {
    const b = browser();
    expect(textOf(await page(b), "user")).toBe("stranger");
    expect(b.lastSetCookies).toEqual([]);

    await signIn(b, "ada");
    const [line] = b.lastSetCookies;
    expect(b.lastSetCookies).toHaveLength(1);
    // The core's attributes, as Next.js writes them through cookies().set.
    expect(line).toMatch(/^session=[\w.-]+; /);
    expect(line).toMatch(/; Max-Age=2592000(;|$)/);
    expect(line).toMatch(/; Path=\/(;|$)/);
    expect(line).toMatch(/; HttpOnly(;|$)/);
    expect(line).toMatch(/; Secure(;|$)/);
    expect(line).toMatch(/; SameSite=lax(;|$)/i);

    expect(textOf(await page(b), "user")).toBe("ada");
    // Reading wrote nothing.
    expect(b.lastSetCookies).toEqual([]);
  });

  it("counts in Route Handlers on the Node.js and the Edge runtime, one session between them", async () => {
    const b = browser();
    await signIn(b, "grace");
    expect(await b.json("/api/count", { method: "POST" })).toEqual({ count: 1, user: "grace", runtime: "nodejs" });
    expect(await b.json("/api/edge-count", { method: "POST" })).toEqual({ count: 2, user: "grace", runtime: "edge" });
    expect(await b.json("/api/count", { method: "POST" })).toEqual({ count: 3, user: "grace", runtime: "nodejs" });
    expect(await b.json("/api/edge-count", { method: "POST" })).toEqual({ count: 4, user: "grace", runtime: "edge" });
    expect(textOf(await page(b), "count")).toBe("4");
    // A read in a Route Handler sets no cookie.
    expect(await b.json("/api/count")).toMatchObject({ count: 4, user: "grace" });
    expect(b.lastSetCookies).toEqual([]);
  });

  it("rejects a save in a Server Component with ERR_SESSION_READ_ONLY, and changes nothing", async () => {
    const b = browser();
    await signIn(b, "linus");
    await b.json("/api/count", { method: "POST" });
    const before = b.cookieHeader();

    const html = await page(b, "/read-only");
    const outcome = textOf(html, "outcome")!;
    expect(outcome).toMatch(/^ERR_SESSION_READ_ONLY: /);
    expect(outcome).toContain("save it in a Server Action, a Route Handler or Middleware");
    expect(b.lastSetCookies).toEqual([]);
    expect(b.cookieHeader()).toBe(before);
    expect(await b.json("/api/count")).toMatchObject({ count: 1, user: "linus" });
  });

  it("lets the proxy turn away visitors without a user and save the session of those it lets in", async () => {
    const b = browser();
    const away = await b.fetch("/members/area");
    expect(away.status).toBe(307);
    expect(new URL(away.headers.get("Location")!, server.base).pathname + new URL(away.headers.get("Location")!, server.base).search).toBe(
      "/?from=members",
    );
    expect(b.lastSetCookies).toEqual([]);

    await signIn(b, "barbara");
    // The page after the proxy reads the request's cookie; the proxy's save goes to the browser.
    const members = await b.fetch("/members");
    expect(members.status).toBe(200);
    expect(textOf(await members.text(), "member")).toBe("barbara");
    expect(b.lastSetCookies.map((line) => line.slice(0, line.indexOf("=")))).toEqual(["session"]);
    expect(await b.json("/api/count")).toMatchObject({ user: "barbara", lastMembersPage: "/members" });
  });

  it("splits a large session over chunked cookies through cookies(), and signing out deletes every chunk", async () => {
    const b = browser();
    // Random text, so the sealed value cannot shrink below one cookie.
    const note = Array.from(crypto.getRandomValues(new Uint8Array(2_000)), (byte) => byte.toString(16).padStart(2, "0")).join("");
    await signIn(b, "margaret", note);
    expect([...b.cookies.keys()].sort()).toEqual(["session", "session.1"]);
    for (const line of b.lastSetCookies) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(4096);
    expect(textOf(await page(b), "note-length")).toBe(String(note.length));
    expect(await b.json("/api/edge-count", { method: "POST" })).toMatchObject({ count: 1, user: "margaret" });
    expect([...b.cookies.keys()].sort()).toEqual(["session", "session.1"]);

    const out = await submit(b);
    expect(out.status).toBe(303);
    const deleted = b.lastSetCookies.filter((line) => /; Max-Age=0(;|$)/.test(line)).map((line) => line.slice(0, line.indexOf("=")));
    expect(deleted.sort()).toEqual(["session", "session.1"]);
    expect(b.cookies.size).toBe(0);
    expect(textOf(await page(b), "user")).toBe("stranger");
  });

  it("signs out through a Server Action: the cookie is deleted and the next page is a stranger's", async () => {
    const b = browser();
    await signIn(b, "ken");
    const stolen = b.cookieHeader();
    const out = await submit(b);
    expect(out.status).toBe(303);
    expect(b.lastSetCookies).toHaveLength(1);
    expect(b.lastSetCookies[0]).toMatch(/^session=; .*Max-Age=0/);
    expect(textOf(await page(b), "user")).toBe("stranger");
    expect(stolen).toMatch(/^session=/);
  });

  it.each([
    ["garbage", "session=garbage"],
    ["a tampered value", "tampered"],
    ["a lone chunk", "session.1=abc"],
  ])("treats %s as a new empty session everywhere, never a 500", async (_title, kind) => {
    const b = browser();
    await signIn(b, "dennis");
    const valid = b.cookies.get("session")!;
    // Flip one character in the middle of the sealed value.
    const middle = Math.floor(valid.length / 2);
    const flipped = valid.slice(0, middle) + (valid[middle] === "A" ? "B" : "A") + valid.slice(middle + 1);
    const cookie = kind === "tampered" ? `session=${flipped}` : kind;
    const headers = { Cookie: cookie };

    const home = await fetch(`${server.base}/`, { headers });
    expect(home.status).toBe(200);
    expect(textOf(await home.text(), "user")).toBe("stranger");

    for (const path of ["/api/count", "/api/edge-count"]) {
      const counted = await fetch(`${server.base}${path}`, { method: "POST", headers });
      expect(counted.status, path).toBe(200);
      expect(await counted.json()).toMatchObject({ count: 1, user: null });
    }

    const members = await fetch(`${server.base}/members`, { headers, redirect: "manual" });
    expect(members.status).toBe(307);

    const readOnly = await fetch(`${server.base}/read-only`, { headers });
    expect(readOnly.status).toBe(200);
    expect(textOf(await readOnly.text(), "outcome")).toMatch(/^ERR_SESSION_READ_ONLY: /);

    // A Server Action starts a fresh session over it.
    const fresh = browser();
    fresh.cookies.set(...(cookie.split("=", 2) as [string, string]));
    await signIn(fresh, "ken");
    expect(textOf(await page(fresh), "user")).toBe("ken");
  });
});

describe("web-sessions/next with a server store: races held open on purpose", { timeout: 60_000 }, () => {
  let gates = 0;
  const newGate = () => `gate-${++gates}-${crypto.randomUUID()}`;

  async function signInAccount(b: TestBrowser, user: string): Promise<void> {
    const response = await submit(b, { user }, "/account");
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/account");
  }

  /** Starts a POST /api/held with `cookie` that saves `key` once its gate opens, and waits until it is at the gate. */
  async function holdAt(gate: string, key: "a" | "b", cookie: string): Promise<{ response: Promise<Response> }> {
    const response = fetch(`${server.base}/api/held?gate=${gate}&key=${key}`, { method: "POST", headers: { Cookie: cookie } });
    const deadline = Date.now() + 30_000;
    while (!(await (await fetch(`${server.base}/api/gate?id=${gate}`)).json()).arrived) {
      if (Date.now() > deadline) throw new Error(`no request reached ${gate} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Wrapped: an async function returning the promise itself would wait for it.
    return { response };
  }

  const open = (gate: string) => fetch(`${server.base}/api/gate?id=${gate}`, { method: "POST" });
  const read = async (cookie: string) => (await fetch(`${server.base}/api/held`, { headers: { Cookie: cookie } })).json();

  it("keeps both keys when two requests on one session save at once", async () => {
    const b = browser();
    await signInAccount(b, "ada");
    const cookie = b.cookieHeader();
    const [first, second] = [newGate(), newGate()];
    const a = await holdAt(first, "a", cookie);
    const other = await holdAt(second, "b", cookie);
    await open(second);
    expect((await other.response).status).toBe(200);
    await open(first);
    expect((await a.response).status).toBe(200);
    expect(await read(cookie)).toEqual({ user: "ada", a: true, b: true });
  });

  it("does not bring back a session signed out through a Server Action while a request on it was in flight", async () => {
    const b = browser();
    await signInAccount(b, "grace");
    const stolen = b.cookieHeader();
    const gate = newGate();
    const inFlight = await holdAt(gate, "a", stolen);

    const out = await submit(b, {}, "/account");
    expect(out.status).toBe(303);
    expect(b.lastSetCookies).toEqual([expect.stringMatching(/^account=; .*Max-Age=0/)]);

    await open(gate);
    const late = await inFlight.response;
    expect(late.status).toBe(200);
    expect(late.headers.getSetCookie()).toEqual([]);
    expect(await read(stolen)).toEqual({ user: null, a: false, b: false });
  });

  it("moves the data to a new id at sign-in (regenerate): the cookie from before opens nothing", async () => {
    const b = browser();
    const gate = newGate();
    await open(gate);
    const anonymous = await b.fetch(`/api/held?gate=${gate}&key=a`, { method: "POST" });
    expect(anonymous.status).toBe(200);
    const before = b.cookieHeader();
    expect(before).toMatch(/^account=/);
    expect(await read(before)).toEqual({ user: null, a: true, b: false });

    await signInAccount(b, "barbara");
    expect(b.cookieHeader()).not.toBe(before);
    expect(await read(b.cookieHeader())).toEqual({ user: "barbara", a: true, b: false });
    expect(await read(before)).toEqual({ user: null, a: false, b: false });
  });
});
