// The Next.js adapter in process, against Next.js's own cookie classes: the mutable cookies of a
// Server Action or Route Handler, and the sealed ones of a Server Component. Only `cookies()` is
// replaced (outside a request Next.js has none to give); test/next.test.ts runs the same code in a
// built app over HTTP.
import { RequestCookies, ResponseCookies } from "next/dist/compiled/@edge-runtime/cookies/index.js";
import {
  MutableRequestCookiesAdapter,
  RequestCookiesAdapter,
  getModifiedCookieValues,
} from "next/dist/server/web/spec-extension/adapters/request-cookies.js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as next from "../adapters/next.ts";
import { getSession, loadSession, sessionFromCookies, withSessions } from "../adapters/next.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import type { SessionsConfig } from "../src/jar.ts";
import type { Store } from "../src/store.ts";
import { SECRET } from "./support/browser.ts";

let current: unknown;
vi.mock("next/headers.js", () => ({ cookies: async () => current }));

const code = (c: string) => expect.objectContaining({ name: "SessionError", code: c });

/** The cookies() of a Server Action or Route Handler for a request carrying `header`. */
function writable(header = ""): ResponseCookies {
  const cookies = MutableRequestCookiesAdapter.wrap(new RequestCookies(new Headers({ cookie: header })));
  current = cookies;
  return cookies;
}

/** The cookies() of a Server Component for a request carrying `header`. */
function readOnly(header = ""): void {
  current = RequestCookiesAdapter.seal(new RequestCookies(new Headers({ cookie: header })));
}

/** The Set-Cookie lines Next.js would send for what was set through `cookies`. */
function linesOf(cookies: ResponseCookies): string[] {
  return getModifiedCookieValues(cookies).map((cookie) => new ResponseCookies(new Headers()).set(cookie).toString());
}

/** `name=value` pairs of what was set through `cookies`, as the browser would send them back. */
const headerOf = (cookies: ResponseCookies) =>
  getModifiedCookieValues(cookies)
    .filter((cookie) => cookie.value !== "")
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join("; ");

const config: SessionsConfig = { store: new CookieStore({ secrets: SECRET }) };

describe("sessionFromCookies", () => {
  beforeEach(() => writable());

  it("exports what DESIGN.md names", () => {
    expect(Object.keys(next).sort()).toEqual(["getSession", "loadSession", "sessionFromCookies", "withSessions"]);
  });

  it("saves through cookies() with every attribute, Max-Age in whole seconds, and reads it back", async () => {
    const cookies = writable();
    const own: SessionsConfig = { store: new CookieStore({ secrets: SECRET }), cookie: { domain: "example.com", sameSite: "Strict", path: "/app" } };
    const session = await sessionFromCookies<{ user: string }>(own);
    expect(session.isNew).toBe(true);
    session.set("user", "ada");
    await session.save();
    const [set] = getModifiedCookieValues(cookies);
    expect(set).toMatchObject({ name: "session", path: "/app", domain: "example.com", secure: true, httpOnly: true, sameSite: "strict", partitioned: false });
    expect(Number.isInteger(set!.maxAge)).toBe(true);
    expect(set!.maxAge).toBeGreaterThan(2_591_990);
    expect(set!.maxAge).toBeLessThanOrEqual(2_592_000);

    writable(headerOf(cookies));
    const again = await sessionFromCookies<{ user: string }>(own);
    expect(again.isNew).toBe(false);
    expect(again.get("user")).toBe("ada");
  });

  it("saves a browser-session cookie through cookies() with neither maxAge nor expires, and deletes it with Max-Age 0", async () => {
    const cookies = writable();
    const session = await sessionFromCookies({ store: new CookieStore({ secrets: SECRET }), cookie: { persistent: false } });
    session.set("user", "ada");
    await session.save();
    const [set] = getModifiedCookieValues(cookies);
    expect(set).toMatchObject({ name: "session", path: "/", secure: true });
    expect([set!.maxAge, set!.expires]).toEqual([undefined, undefined]);
    await session.destroy();
    expect(getModifiedCookieValues(cookies).at(-1)).toMatchObject({ name: "session", value: "", maxAge: 0 });
  });

  it("deletes through cookies() on destroy(): an empty value with Max-Age 0", async () => {
    const cookies = writable();
    const session = await sessionFromCookies(config);
    session.set("user", "ada");
    await session.save();
    const signedIn = writable(headerOf(cookies));
    await (await sessionFromCookies(config)).destroy();
    expect(getModifiedCookieValues(signedIn)).toEqual([expect.objectContaining({ name: "session", value: "", maxAge: 0 })]);
    expect(linesOf(signedIn)[0]).toMatch(/^session=; Path=\/; Max-Age=0; Secure; HttpOnly; SameSite=lax$/);
  });

  it("rejects save() and destroy() in a Server Component with ERR_SESSION_READ_ONLY, Next.js's error as the cause", async () => {
    const cookies = writable();
    const first = await sessionFromCookies(config);
    first.set("count", 1);
    await first.save();
    readOnly(headerOf(cookies));
    const session = await sessionFromCookies<{ count: number }>(config);
    expect(session.get("count")).toBe(1);
    session.set("count", 2);
    const error = await session.save().catch((caught: unknown) => caught);
    expect(error).toEqual(code("ERR_SESSION_READ_ONLY"));
    expect((error as Error).message).toContain("save it in a Server Action, a Route Handler or Middleware");
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).message).toMatch(/^Cookies can only be modified in a Server Action or Route Handler/);
    await expect(session.destroy()).rejects.toEqual(code("ERR_SESSION_READ_ONLY"));
  });

  it("passes any other error of cookies().set through unchanged", async () => {
    const failure = new Error("something else");
    current = { getAll: () => [], set: () => { throw failure; } };
    const session = await sessionFromCookies(config);
    session.set("user", "ada");
    await expect(session.save()).rejects.toBe(failure);
  });

  it("reads only its own names: a decoded '; session=' inside another cookie's value is not a session cookie", async () => {
    const cookies = writable();
    const session = await sessionFromCookies(config);
    session.set("user", "ada");
    await session.save();
    const value = getModifiedCookieValues(cookies)[0]!.value;
    writable(`other=${encodeURIComponent(`x; session=${value}`)}`);
    expect((await sessionFromCookies(config)).isNew).toBe(true);
    writable(`other=1; session=${value}`);
    expect((await sessionFromCookies(config)).get("user")).toBe("ada");
  });

  it("gives a garbage cookie a new empty session", async () => {
    writable("session=garbage.value");
    const session = await sessionFromCookies(config);
    expect(session.isNew).toBe(true);
    expect(session.get("user")).toBeUndefined();
  });

  it("loads only the named session of several, and needs the name", async () => {
    let loads = 0;
    const inner = new MemoryStore({ secrets: SECRET });
    const counting: Store = {
      cookie: undefined,
      load: (name, value) => (loads++, inner.load(name, value)),
      save: (name, write) => inner.save(name, write),
      destroy: (name, id) => inner.destroy(name, id),
    };
    const many: SessionsConfig = { names: ["a", "b"], store: counting };
    const cookies = writable();
    for (const name of ["a", "b"]) {
      const session = await sessionFromCookies(many, name);
      session.set("name", name);
      await session.save();
    }
    writable(headerOf(cookies));
    loads = 0;
    expect((await sessionFromCookies(many, "b")).get("name")).toBe("b");
    expect(loads).toBe(1);
    await expect(sessionFromCookies(many)).rejects.toEqual(code("ERR_SESSION_MISSING"));
    await expect(sessionFromCookies(many, "c")).rejects.toEqual(code("ERR_SESSION_MISSING"));
  });

  it.each([
    ["autoSave", { autoSave: true }],
    ["rolling", { rolling: true }],
  ])("throws ERR_SESSION_CONFIG for %s, which needs the end of a request", async (_title, extra) => {
    await expect(sessionFromCookies({ ...config, ...extra })).rejects.toEqual(code("ERR_SESSION_CONFIG"));
  });

  it("throws ERR_SESSION_CONFIG for a configuration without a store", async () => {
    await expect(sessionFromCookies({} as SessionsConfig)).rejects.toEqual(code("ERR_SESSION_CONFIG"));
  });
});

describe("withSessions (Route Handlers and the proxy)", () => {
  it("adds the Set-Cookie of a save to the handler's response and passes the context through", async () => {
    const handler = withSessions(config, async (request: Request, context: { params: Promise<{ id: string }> }) => {
      const session = getSession(request);
      session.set("id", (await context.params).id);
      await session.save();
      return new Response("ok", { status: 201 });
    });
    const response = await handler(new Request("http://localhost/"), { params: Promise.resolve({ id: "7" }) });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^session=[\w.-]+; Max-Age=2592000; Path=\//)]);
  });

  it("turns a proxy's empty return into NextResponse.next() that carries the cookies", async () => {
    const proxy = withSessions(config, async (request: Request) => {
      getSession(request).set("seen", true);
      await getSession(request).save();
    });
    const response = await proxy(new Request("http://localhost/members"));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.getSetCookie()).toHaveLength(1);
  });

  it("loads a lazy session on demand with loadSession()", async () => {
    const handler = withSessions({ ...config, lazy: true }, async (request: Request) => {
      expect(() => getSession(request)).toThrow(expect.objectContaining({ code: "ERR_SESSION_MISSING" }));
      const session = await loadSession<{ n: number }>(request);
      session.set("n", 1);
      await session.save();
      return Response.json({ same: getSession(request) === session });
    });
    const response = await handler(new Request("http://localhost/"));
    expect(await response.json()).toEqual({ same: true });
    expect(response.headers.getSetCookie()).toHaveLength(1);
  });
});
