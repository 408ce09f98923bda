import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis as NodeRedis } from "@upstash/redis";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getSession, loadSession, sessions } from "../../adapters/hono.ts";
import type { SessionEnv } from "../../adapters/hono.ts";
import { SessionError } from "../../src/errors.ts";
import type { SessionWrite } from "../../src/store.ts";
import { UpstashRedisStore } from "../../src/stores/upstash.ts";
import type { UpstashClient, UpstashRedisStoreOptions } from "../../src/stores/upstash.ts";
import { describeStoreConformance } from "../conformance.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { startUpstashEndpoint } from "../support/upstash-endpoint.ts";
import type { UpstashEndpoint } from "../support/upstash-endpoint.ts";
import { dataWrite } from "../support/session-write.ts";

// One endpoint for the file; every store gets keys of its own under a random prefix.
const endpoint: UpstashEndpoint = await startUpstashEndpoint();
afterAll(() => endpoint.close());

const prefix = () => `test:${randomBytes(6).toString("hex")}:`;

// The conformance suite's stores share one prefix per factory, as instances of one app share Redis.
const conformancePrefix = prefix();
describeStoreConformance("UpstashRedisStore (url and token)", {
  make: (secrets = [SECRET], options) =>
    new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets, prefix: conformancePrefix, ...options }),
  serverSide: true,
  sharedBackend: true,
});

// A client as users make it: automatic JSON parsing and auto-pipelining on.
const clientPrefix = prefix();
describeStoreConformance("UpstashRedisStore (a default @upstash/redis client)", {
  make: (secrets = [SECRET], options) =>
    new UpstashRedisStore({ client: new NodeRedis({ url: endpoint.url, token: endpoint.token }), secrets, prefix: clientPrefix, ...options }),
  serverSide: true,
  sharedBackend: true,
});

function makeStore(options: Partial<UpstashRedisStoreOptions> = {}): UpstashRedisStore {
  return new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets: SECRET, prefix: prefix(), ...options } as UpstashRedisStoreOptions);
}

/** Routes used below: set a key, read the session, flashes, regenerate, destroy. */
function app(store: UpstashRedisStore, hooks: { beforeSave?: () => Promise<void> } = {}) {
  const app = new Hono();
  app.use(sessions("session", store, { cookie: { maxAge: 60 } }));
  app.get("/", (c) => c.text("no session used"));
  app.get("/read", (c) => c.json({ id: getSession(c).id, count: getSession(c).get("count") ?? null }));
  app.post("/set/:key", async (c) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    getSession(c).set(c.req.param("key"), true);
    await getSession(c).save();
    return c.text("ok");
  });
  app.post("/incr", async (c) => {
    const session = getSession<{ count: number }>(c);
    session.set("count", (session.get("count") ?? 0) + 1);
    await session.save();
    return c.json({ id: session.id, count: session.get("count") });
  });
  app.post("/flash/:value", async (c) => {
    getSession(c).addFlash(c.req.param("value"));
    await hooks.beforeSave?.();
    await getSession(c).save();
    return c.text("ok");
  });
  app.post("/take", async (c) => {
    const taken = getSession(c).flashes();
    await hooks.beforeSave?.();
    await getSession(c).save();
    return c.json(taken);
  });
  app.post("/login", async (c) => {
    await getSession(c).regenerate();
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  app.post("/logout", async (c) => {
    await getSession(c).destroy();
    return c.text("bye");
  });
  app.onError((error, c) => c.json({ code: error instanceof SessionError ? error.code : "other" }, 503));
  return app;
}

beforeEach(() => endpoint.resetCounts());

describe("UpstashRedisStore round trips", () => {
  it("costs no HTTP request without a cookie, with a forged cookie, or with a cookie signed by another secret", async () => {
    const store = makeStore();
    const a = app(store);
    expect((await a.request("/read")).status).toBe(200);
    expect((await a.request("/read", { headers: { Cookie: "session=forged.value.here" } })).status).toBe(200);
    expect(endpoint.requests).toBe(0);
    const other = new TestBrowser((request) => app(makeStore({ secrets: "another-secret-that-is-long-enough-9999" })).fetch(request));
    await other.fetch("/incr", { method: "POST" });
    endpoint.resetCounts();
    const response = await a.request("/read", { headers: { Cookie: other.cookieHeader() } });
    expect((await response.json()).count).toBeNull();
    expect(endpoint.requests).toBe(0);
  });

  it("loads with one request and saves with one (TTL included)", async () => {
    const a = app(makeStore());
    const b = new TestBrowser((request) => a.fetch(request));
    await b.fetch("/incr", { method: "POST" });
    expect(endpoint.requests).toBe(1); // new session: nothing to load, one save
    endpoint.resetCounts();
    expect(await b.json("/incr", { method: "POST" })).toMatchObject({ count: 2 });
    expect(endpoint.requests).toBe(2);
    expect(endpoint.commands.map(([name]) => name)).toEqual(["hgetall", "evalsha"]);
    endpoint.resetCounts();
    expect(await b.json("/read")).toMatchObject({ count: 2 });
    expect(endpoint.requests).toBe(1);
  });

  it("with lazy: true, costs no request on a route that never loads the session, one on a route that does", async () => {
    const store = makeStore();
    const b = new TestBrowser((request) => app(store).fetch(request));
    await b.fetch("/incr", { method: "POST" });
    const lazy = new Hono<SessionEnv<{ count: number }>>();
    lazy.use(sessions("session", store, { lazy: true }));
    lazy.get("/health", (c) => c.text("ok"));
    lazy.get("/early", (c) => c.text(String(getSession(c).get("count"))));
    lazy.get("/me", async (c) => {
      const first = await loadSession<{ count: number }>(c);
      const again = await loadSession<{ count: number }>(c);
      return c.json({ same: first === again && getSession(c) === first && c.var.session === first, count: first.get("count") });
    });
    lazy.onError((error, c) => c.text((error as SessionError).code, 500));
    endpoint.resetCounts();
    const health = await lazy.request("/health", { headers: { Cookie: b.cookieHeader() } });
    expect(await health.text()).toBe("ok");
    expect(endpoint.requests).toBe(0);
    expect(await (await lazy.request("/early", { headers: { Cookie: b.cookieHeader() } })).text()).toBe("ERR_SESSION_MISSING");
    expect(endpoint.requests).toBe(0);
    expect(await (await lazy.request("/me", { headers: { Cookie: b.cookieHeader() } })).json()).toEqual({ same: true, count: 1 });
    expect(endpoint.requests).toBe(1);
  });

  it("refreshes a rolling session's TTL at most once per tenth of maxAge, in one request", async () => {
    const store = makeStore();
    const rolling = new Hono();
    rolling.use(sessions("session", store, { rolling: true, cookie: { maxAge: 5 } }));
    rolling.get("/", (c) => c.json(getSession(c).get("count") ?? null));
    rolling.post("/", async (c) => {
      getSession(c).set("count", 1);
      await getSession(c).save();
      return c.text("ok");
    });
    const b = new TestBrowser((request) => rolling.fetch(request));
    await b.fetch("/", { method: "POST" });
    endpoint.resetCounts();
    expect(await b.json("/")).toBe(1);
    expect(endpoint.requests).toBe(1); // just the load: too soon to refresh
    // The cookie's expiry is kept to the second, rounded up: wait past a tenth of maxAge plus that.
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    endpoint.resetCounts();
    expect(await b.json("/")).toBe(1);
    expect(endpoint.requests).toBe(2);
    expect(endpoint.commands.map(([name]) => name)).toEqual(["hgetall", "evalsha"]);
    const [key] = await endpoint.redis.keys(`*${(await store.load("session", b.cookies.get("session")!))!.id}`);
    expect(await endpoint.redis.pttl(key!)).toBeGreaterThan(4_500);
  });

  it("keeps the Redis TTL within the session's maxAge", async () => {
    const store = makeStore();
    const b = new TestBrowser((request) => app(store).fetch(request));
    const { id } = await b.json("/incr", { method: "POST" });
    const keys = await endpoint.redis.keys(`*${id}`);
    expect(keys).toHaveLength(1);
    const ttl = await endpoint.redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});

describe("UpstashRedisStore under concurrency", () => {
  it("keeps all 40 keys set by 40 concurrent requests on one session", async () => {
    const store = makeStore();
    const a = app(store);
    const b = new TestBrowser((request) => a.fetch(request));
    await b.fetch("/set/start", { method: "POST" });
    const cookie = b.cookieHeader();
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => a.request(`/set/k${i}`, { method: "POST", headers: { Cookie: cookie } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(200));
    const check = new Hono();
    check.use(sessions("session", store));
    check.get("/", (c) => c.json(Array.from({ length: 40 }, (_, i) => getSession(c).get(`k${i}`))));
    expect(await (await check.request("/", { headers: { Cookie: cookie } })).json()).toEqual(Array(40).fill(true));
  });

  it("returns flashes in the order they were added, across requests", async () => {
    const a = app(makeStore());
    const b = new TestBrowser((request) => a.fetch(request));
    for (const value of ["a", "b", "c"]) await b.fetch(`/flash/${value}`, { method: "POST" });
    expect(await b.json("/take", { method: "POST" })).toEqual(["a", "b", "c"]);
  });
});

describe("UpstashRedisStore keys", () => {
  it("regenerate() moves the data to a new key and deletes the old one; destroy() deletes the key", async () => {
    const store = makeStore();
    const b = new TestBrowser((request) => app(store).fetch(request));
    const before = await b.json("/incr", { method: "POST" });
    const { id } = await b.json("/login", { method: "POST" });
    expect(id).not.toBe(before.id);
    expect(await endpoint.redis.keys(`*${before.id}`)).toEqual([]);
    expect(await endpoint.redis.keys(`*${id}`)).toHaveLength(1);
    expect(await b.json("/read")).toEqual({ id, count: 1 });
    await b.fetch("/logout", { method: "POST" });
    expect(await endpoint.redis.keys(`*${id}`)).toEqual([]);
  });

  it("reads the hash as Redis holds it, with no JSON parsing in between: a field set by hand to JSON text is no value", async () => {
    const store = makeStore();
    const b = new TestBrowser((request) => app(store).fetch(request));
    const { id } = await b.json("/incr", { method: "POST" });
    const [key] = await endpoint.redis.keys(`*${id}`);
    await endpoint.redis.hset(key!, "d:count", JSON.stringify("=5"));
    const loaded = await store.load("session", b.cookies.get("session")!);
    expect(loaded?.id).toBe(id);
    expect(loaded?.data).toEqual(new Map());
  });

  it("applies the prefix to keys, also with a client of one's own", async () => {
    const own = `own:${randomBytes(4).toString("hex")}:`;
    const store = new UpstashRedisStore({ client: new NodeRedis({ url: endpoint.url, token: endpoint.token }), secrets: SECRET, prefix: own });
    const b = new TestBrowser((request) => app(store).fetch(request));
    const { id } = await b.json("/incr", { method: "POST" });
    expect(await endpoint.redis.keys(`${own}*`)).toEqual([`${own}${id}`]);
  });

  it("keeps the path and domain set with options(), so a later destroy() deletes the cookie there", async () => {
    const placed = new Hono();
    placed.use(sessions("session", makeStore()));
    placed.post("/place", async (c) => {
      getSession(c).options({ path: "/", domain: "example.com" });
      getSession(c).set("k", 1);
      await getSession(c).save();
      return c.text("ok");
    });
    placed.post("/logout", async (c) => (await getSession(c).destroy(), c.json(getSession(c).get("web-sessions:cookie") ?? null)));
    const b = new TestBrowser((request) => placed.fetch(request));
    await b.fetch("/place", { method: "POST" });
    expect(b.lastSetCookies[0]).toMatch(/; Domain=example.com;/);
    await b.fetch("/logout", { method: "POST" });
    expect(b.lastSetCookies).toEqual([expect.stringMatching(/^session=; Max-Age=0; Path=\/; Domain=example.com;/)]);
  });
});

describe("UpstashRedisStore values", () => {
  const values = {
    numericString: "123",
    jsonString: '{"a":1}',
    trueString: "true",
    nullString: "null",
    quoted: '"x"',
    max: Number.MAX_SAFE_INTEGER,
    min: Number.MIN_SAFE_INTEGER,
    fraction: 0.1,
    big: 1e21,
    nested: { list: [1, "2", { three: [null, false] }], empty: {}, text: "ünïcødé 🎉" },
    empty: "",
  };

  for (const [form, make] of [
    ["url and token", () => makeStore()],
    ["a default client", () => new UpstashRedisStore({ client: new NodeRedis({ url: endpoint.url, token: endpoint.token }), secrets: SECRET, prefix: prefix() })],
  ] as const) {
    it(`round-trips JSON-looking strings and big integers exactly (${form})`, async () => {
      const store = make();
      const a = new Hono();
      a.use(sessions("session", store));
      a.post("/", async (c) => {
        for (const [key, value] of Object.entries(values)) getSession(c).set(key, value);
        await getSession(c).save();
        return c.text("ok");
      });
      a.get("/", (c) => c.json(Object.fromEntries(Object.keys(values).map((key) => [key, getSession(c).get(key)]))));
      const b = new TestBrowser((request) => a.fetch(request));
      await b.fetch("/", { method: "POST" });
      const back = await b.json("/");
      expect(back).toStrictEqual(values);
      expect(typeof back.numericString).toBe("string");
    });
  }
});

/** A save that sets one key, as the jar would hand it to the store. */
function write(id: string): SessionWrite {
  return dataWrite(id, undefined, { expiresAt: Date.now() + 60_000 });
}

describe("UpstashRedisStore faults", () => {
  let store: UpstashRedisStore;
  let cookie: string;

  beforeAll(async () => {
    store = makeStore({ timeout: 300, retries: 0 });
    const b = new TestBrowser((request) => app(store).fetch(request));
    await b.fetch("/incr", { method: "POST" });
    cookie = b.cookieHeader();
  });

  async function expectStoreError(promise: Promise<unknown>): Promise<SessionError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe("ERR_SESSION_STORE");
    return error as SessionError;
  }

  /** A load through the middleware and a save of a fresh session, both against `faulty`. */
  async function expectBothFail(faulty: UpstashRedisStore): Promise<SessionError[]> {
    const a = app(faulty);
    const loaded = await a.request("/read", { headers: { Cookie: cookie } });
    expect(loaded.status).toBe(503);
    expect(await loaded.json()).toEqual({ code: "ERR_SESSION_STORE" });
    const saved = await a.request("/incr", { method: "POST" });
    expect(saved.status).toBe(503);
    expect(saved.headers.getSetCookie()).toEqual([]);
    const value = cookie.slice(cookie.indexOf("=") + 1);
    return [
      await expectStoreError(faulty.load("session", value)),
      await expectStoreError(faulty.save("session", write("x"))),
    ];
  }

  it("rejects with ERR_SESSION_STORE when the endpoint is unreachable", async () => {
    await endpoint.stop();
    try {
      const errors = await expectBothFail(store);
      expect(errors[0]!.cause).toBeDefined();
    } finally {
      await endpoint.start();
    }
  });

  it("rejects with ERR_SESSION_STORE on a wrong token (401)", async () => {
    const wrong = new UpstashRedisStore({ url: endpoint.url, token: "wrong", secrets: SECRET, prefix: "x:" });
    await expectBothFail(wrong);
  });

  it("rejects with ERR_SESSION_STORE on a 5xx, keeping the cause without session data", async () => {
    endpoint.failWith = 503;
    try {
      const [, saveError] = await expectBothFail(store);
      const cause = saveError!.cause as Error;
      expect(cause).toBeInstanceOf(Error);
      expect(`${cause.message}\n${cause.stack}`).not.toContain("s3cr3t-value");
    } finally {
      endpoint.failWith = undefined;
    }
  });

  // A proxy or firewall in front of Redis may answer with a page that is not JSON, quoting what it
  // was sent; @upstash/redis puts up to 200 characters of that body into UpstashJSONParseError.
  it.each([200, 502])("rejects with ERR_SESSION_STORE on a body that is not JSON (%i), keeping no body in the cause", async (status) => {
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk));
      request.on("end", () => response.writeHead(status, { "Content-Type": "text/html" }).end(`<html>blocked: ${body}</html>`));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const proxied = new UpstashRedisStore({ url, token: "t", secrets: SECRET, retries: 0, timeout: 2_000 });
      const error = await expectStoreError(proxied.save("session", write("x")));
      const causes: unknown[] = [];
      for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) causes.push(cause);
      expect(causes[0]).toMatchObject({ name: "UpstashJSONParseError" });
      for (const cause of causes as Error[]) {
        expect(`${cause.message}\n${cause.stack}`).not.toContain("s3cr3t-value");
        expect(`${cause.message}\n${cause.stack}`).not.toContain("blocked");
      }
    } finally {
      server.close();
    }
  });

  // A client of one's own that fails every command with `error`: the cause as the store keeps it.
  async function causeOf(error: unknown): Promise<unknown> {
    const client = { exec: () => Promise.reject(error) } as unknown as UpstashClient;
    return (await expectStoreError(new UpstashRedisStore({ client, secrets: SECRET, prefix: prefix() }).save("session", write("x")))).cause;
  }

  it("cuts the command @upstash/redis quotes out of the cause's message and stack, keeping the stack's frames", async () => {
    const error = new Error('ERR unknown command, command was: ["evalsha","s3cr3t-value"]');
    const stack = error.stack!;
    const cause = await causeOf(error);
    expect(cause).toBe(error);
    expect(error.message).toBe("ERR unknown command");
    expect(stack.indexOf("\n")).toBeGreaterThan(0);
    expect(error.stack).toBe("Error: ERR unknown command" + stack.slice(stack.indexOf("\n")));
  });

  it.each([
    ["text after the command on a line of its own", 'ERR boom, command was: ["s3cr3t-value"]\nmore', "ERR boom"],
    ["nothing before the command", ', command was: ["s3cr3t-value"]', ""],
  ])("cuts all of the message from the command on, with %s", async (_label, message, redacted) => {
    const error = new Error(message);
    await causeOf(error);
    expect(error.message).toBe(redacted);
    expect(error.stack).not.toContain("s3cr3t-value");
  });

  it("cuts the command out of the message of an error without a stack", async () => {
    const error = new Error('ERR boom, command was: ["s3cr3t-value"]');
    error.stack = undefined;
    await causeOf(error);
    expect(error.message).toBe("ERR boom");
    expect(error.stack).toBeUndefined();
  });

  it("keeps an error that quotes no command as it is, and a rejection that is not an Error", async () => {
    const error = new TypeError("fetch failed");
    const stack = error.stack;
    expect(await causeOf(error)).toBe(error);
    expect(error.message).toBe("fetch failed");
    expect(error.stack).toBe(stack);
    expect(await causeOf(null)).toBeNull();
    expect(await causeOf("down")).toBe("down");
  });

  it("redacts the body an UpstashJSONParseError quotes, and only that", async () => {
    const parse = (message: string, stack?: string) =>
      Object.assign(new Error(message, { cause: new SyntaxError("Unexpected token '<'") }), { name: "UpstashJSONParseError", stack });
    const quoting = parse("Unable to parse response body: <html>s3cr3t-value</html>");
    await causeOf(quoting);
    expect(quoting.message).toBe("Unable to parse response body: [redacted]");
    expect(quoting.cause).toBeUndefined();
    const other = parse("Unable to read the response");
    await causeOf(other);
    expect(other.message).toBe("Unable to read the response");
    expect(other.cause).toBeInstanceOf(SyntaxError);
  });

  it("aborts a request that outlives the timeout instead of leaving it open", async () => {
    const closed: Promise<void>[] = [];
    const server = createServer((request) => closed.push(new Promise((resolve) => request.socket.once("close", () => resolve()))));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const silent = new UpstashRedisStore({ url, token: "t", secrets: SECRET, retries: 0, timeout: 100 });
      await expectStoreError(silent.save("session", write("x")));
      expect(closed).toHaveLength(1);
      const outcome = await Promise.race([closed[0]!.then(() => "closed"), new Promise((resolve) => setTimeout(resolve, 1_000, "still open"))]);
      expect(outcome).toBe("closed");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("sends no telemetry headers", async () => {
    const headers: string[] = [];
    const server = createServer((request, response) => {
      headers.push(...Object.keys(request.headers));
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ result: 1 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await new UpstashRedisStore({ url, token: "t", secrets: SECRET }).save("session", write("x"))).toEqual(expect.any(String));
      expect(headers).toContain("authorization");
      expect(headers.filter((name) => name.startsWith("upstash-telemetry"))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it("rejects with ERR_SESSION_STORE on a Redis error", async () => {
    const broken = makeStore();
    const b = new TestBrowser((request) => app(broken).fetch(request));
    const { id } = await b.json("/incr", { method: "POST" });
    const [key] = await endpoint.redis.keys(`*${id}`);
    await endpoint.redis.set(key!, "not a hash", "PX", 60_000);
    expect(await (await b.fetch("/read")).json()).toEqual({ code: "ERR_SESSION_STORE" });
    const error = await expectStoreError(broken.save("session", write(id)));
    expect(String((error.cause as Error).message)).toMatch(/WRONGTYPE/);
  });

  it("rejects with ERR_SESSION_STORE when the endpoint is slower than the timeout", async () => {
    endpoint.latency = 1_000;
    try {
      const started = Date.now();
      await expectBothFail(store);
      expect(Date.now() - started).toBeLessThan(4 * 1_000);
    } finally {
      endpoint.latency = 0;
    }
  });
});

describe("UpstashRedisStore configuration", () => {
  it.each([
    ["no url", { token: "t", secrets: SECRET }],
    ["a url that is not http(s)", { url: "redis://localhost:6379", token: "t", secrets: SECRET }],
    ["a url after other text", { url: "at http://127.0.0.1:1", token: "t", secrets: SECRET }],
    ["a url with a space in it", { url: "http://127.0.0.1:1 x", token: "t", secrets: SECRET }],
    ["a url that is a URL object, not its text", { url: new URL("http://127.0.0.1:1"), token: "t", secrets: SECRET }],
    ["an empty token", { url: "http://127.0.0.1:1", token: "", secrets: SECRET }],
    ["a token that is a String object, not a string", { url: "http://127.0.0.1:1", token: new String("t"), secrets: SECRET }],
    ["a blank token", { url: "http://127.0.0.1:1", token: "  ", secrets: SECRET }],
    ["a prefix that is not a string", { url: "http://127.0.0.1:1", token: "t", secrets: SECRET, prefix: 5 }],
    ["a short secret", { url: "http://127.0.0.1:1", token: "t", secrets: "short" }],
    ["a timeout of 0", { url: "http://127.0.0.1:1", token: "t", secrets: SECRET, timeout: 0 }],
    ["negative retries", { url: "http://127.0.0.1:1", token: "t", secrets: SECRET, retries: -1 }],
    ["a client that is not one", { client: {}, secrets: SECRET }],
  ])("throws ERR_SESSION_CONFIG for %s", (_label, options) => {
    expect(() => new UpstashRedisStore(options as unknown as UpstashRedisStoreOptions)).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_CONFIG" }),
    );
  });
});
