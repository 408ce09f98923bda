// Behaviours that a review broke on purpose without any other test noticing: each test here fails
// when its behaviour is taken out of src/ (the mutation is named in each describe's comment).
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { getSession, sessions } from "../adapters/hono.ts";
import { SessionError } from "../src/errors.ts";
import type { SessionsOptions } from "../src/jar.ts";
import type { Store } from "../src/store.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import { RedisStore } from "../src/stores/redis.ts";
import { UpstashRedisStore } from "../src/stores/upstash.ts";
import { DenoKvStore } from "../src/stores/deno-kv.ts";
import { startBackends } from "./support/backends.ts";
import { SECRET, TestBrowser, setCookieFor } from "./support/browser.ts";

const { endpoint, ioredis, kv, close } = await startBackends("gaps");
afterAll(close);

const DAY = 24 * 3600;
const POST = { method: "POST" } as const;

function upstash(retries?: number): UpstashRedisStore {
  const prefix = `test:gaps:${randomBytes(6).toString("hex")}:`;
  return new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets: SECRET, prefix, retries });
}

const serverStores: [string, () => Store][] = [
  ["MemoryStore", () => new MemoryStore({ secrets: SECRET })],
  ["UpstashRedisStore", () => upstash()],
  ["RedisStore (ioredis)", () => new RedisStore({ client: ioredis, secrets: SECRET, prefix: `test:gaps:${randomBytes(6).toString("hex")}:` })],
  ["DenoKvStore (@deno/kv, SQLite)", () => new DenoKvStore({ kv, secrets: SECRET, prefix: ["test", randomBytes(6).toString("hex")] })],
];
const allStores: [string, () => Store][] = [
  ["CookieStore (encrypted)", () => new CookieStore({ secrets: SECRET })],
  ["CookieStore (signed)", () => new CookieStore({ secrets: SECRET, encrypt: false })],
  ...serverStores,
];

/** One route per operation the gaps need; a SessionError answers 500 with its code. */
function app(store: Store, options?: SessionsOptions): Hono {
  const app = new Hono();
  app.use(sessions("session", store, options));
  app.get("/get/:key", (c) => c.json({ value: getSession(c).get(c.req.param("key")) ?? null, isNew: getSession(c).isNew }));
  app.post("/set/:key/:value", async (c) => {
    getSession(c).set(c.req.param("key"), c.req.param("value"));
    await getSession(c).save();
    return c.json({});
  });
  app.post("/flash/:key/:value", async (c) => {
    getSession(c).addFlash(c.req.param("value"), c.req.param("key"));
    await getSession(c).save();
    return c.json({});
  });
  app.post("/flashes/:key", async (c) => {
    const flashes = getSession(c).flashes(c.req.param("key"));
    await getSession(c).save();
    return c.json({ flashes });
  });
  app.post("/regenerate-then-destroy", async (c) => {
    await getSession(c).regenerate();
    await getSession(c).destroy();
    return c.json({});
  });
  app.post("/redirect", async (c) => {
    getSession(c).set("k", "v");
    await getSession(c).save();
    return c.redirect("/next");
  });
  app.post("/response-redirect", async (c) => {
    getSession(c).set("k", "v");
    await getSession(c).save();
    return Response.redirect("http://localhost/next", 303);
  });
  app.onError((error, c) => c.json({ code: error instanceof SessionError ? error.code : String(error) }, 500));
  return app;
}

const browser = (app: Hono) => new TestBrowser((request) => app.fetch(request));

// Mutation tried: jar.ts #load returns any loaded session, without the absoluteMaxAge check.
describe.each(allStores)("absoluteMaxAge at load (%s)", (_label, make) => {
  afterEach(() => vi.useRealTimers());

  it("refuses a session minted without a cap once it is older than the reading middleware's cap", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = make();
    const minter = browser(app(store));
    await minter.json("/set/k/v", POST);
    const capped = app(store, { absoluteMaxAge: 2 * DAY });
    const read = async () => (await capped.request("/get/k", { headers: { Cookie: minter.cookieHeader() } })).json();
    vi.setSystemTime(Date.now() + DAY * 1000);
    expect(await read()).toEqual({ value: "v", isNew: false });
    vi.setSystemTime(Date.now() + 1.5 * DAY * 1000);
    expect(await read()).toEqual({ value: null, isNew: true });
  });
});

// Mutation tried: SessionState.set() without `if (this.flashIds.has(key)) this.#takeFlashIds(key)`.
describe.each(allStores)("a plain value set over stored flashes (%s)", (_label, make) => {
  it("reads back as the value, not as the old flashes, and is taken once like a flash", async () => {
    const b = browser(app(make()));
    await b.json("/flash/note/one", POST);
    await b.json("/flash/note/two", POST);
    await b.json("/set/note/plain", POST);
    expect(await b.json("/get/note")).toEqual({ value: "plain", isNew: false });
    expect(await b.json("/flashes/note", POST)).toEqual({ flashes: ["plain"] });
    expect(await b.json("/get/note")).toEqual({ value: null, isNew: false });
  });
});

// Mutation tried: the Hono adapter's catch for immutable headers does nothing (drops the cookies).
describe("Hono adapter: a redirect returned after a save carries the Set-Cookie", () => {
  it.each([
    ["c.redirect()", "/redirect", 302],
    ["Response.redirect() (immutable headers)", "/response-redirect", 303],
  ])("%s", async (_label, path, status) => {
    const a = app(new MemoryStore({ secrets: SECRET }));
    const response = await a.request(path, POST);
    expect(response.status).toBe(status);
    expect(response.headers.get("Location")).toMatch(/\/next$/);
    const line = setCookieFor(response, "session");
    expect(line).toMatch(/^session=[\w.-]+; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const back = await a.request("/get/k", { headers: { Cookie: line!.split(";")[0]! } });
    expect(await back.json()).toEqual({ value: "v", isNew: false });
  });
});

// Mutation tried: upstash.ts createClient passes `retry: { retries: 0 }` whatever `retries` says.
describe("UpstashRedisStore retries", () => {
  afterEach(() => {
    endpoint.dropNext = 0;
  });

  it("retries: 2 gets past a dropped connection, and the save is there", async () => {
    const b = browser(app(upstash(2)));
    endpoint.dropNext = 1;
    expect(await b.json("/set/k/v", POST)).toEqual({});
    expect(endpoint.dropNext).toBe(0);
    expect(await b.json("/get/k")).toEqual({ value: "v", isNew: false });
  });

  it("retries: 0 rejects the same save with ERR_SESSION_STORE and sends no cookie", async () => {
    const a = app(upstash(0));
    endpoint.dropNext = 1;
    const response = await a.request("/set/k/v", POST);
    expect(endpoint.dropNext).toBe(0);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: "ERR_SESSION_STORE" });
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

// Mutation tried: jar.ts destroy() deletes only `state.id` when stored, not `state.previousId`.
describe.each(serverStores)("regenerate() then destroy() in one request (%s)", (_label, make) => {
  it("leaves the old id dead and deletes the cookie", async () => {
    const a = app(make());
    const b = browser(a);
    await b.json("/set/k/v", POST);
    const old = b.cookieHeader();
    const response = await a.request("/regenerate-then-destroy", { method: "POST", headers: { Cookie: old } });
    expect(setCookieFor(response, "session")).toMatch(/^session=; Max-Age=0;/);
    const again = await a.request("/get/k", { headers: { Cookie: old } });
    expect(await again.json()).toEqual({ value: null, isNew: true });
  });
});
