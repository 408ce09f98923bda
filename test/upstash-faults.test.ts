// Faults under load: the demo on UpstashRedisStore over real HTTP while its Upstash endpoint goes
// away and comes back, or answers too slowly. The app must answer its own error (503 here), lose no
// session whose save succeeded, and never hang past the store's timeout.
import { randomBytes } from "node:crypto";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MockInstance } from "vitest";
import { createApp } from "../examples/demo/app.ts";
import { SessionError } from "../src/errors.ts";
import { UpstashRedisStore } from "../src/stores/upstash.ts";
import { SECRET } from "./support/browser.ts";
import { listen } from "./support/http.ts";
import type { Listening } from "./support/http.ts";
import { startUpstashEndpoint } from "./support/upstash-endpoint.ts";
import type { UpstashEndpoint } from "./support/upstash-endpoint.ts";

const prefix = `faults-${randomBytes(6).toString("hex")}:`;
const TIMEOUT = 500;
const USERS = 20;

let endpoint: UpstashEndpoint;
let spies: MockInstance[] = [];

beforeAll(async () => {
  endpoint = await startUpstashEndpoint();
  spies = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
});

afterAll(async () => {
  for (const spy of spies) spy.mockRestore();
  if (!endpoint) return;
  const keys = await endpoint.redis.keys(`${prefix}*`);
  if (keys.length > 0) await endpoint.redis.del(...keys);
  await endpoint.close();
});

/** The demo with an error handler of the app's own: a store failure is a 503 the app chose. */
function demo(store: UpstashRedisStore): { app: Hono; errors: SessionError[] } {
  const app = createApp(store, { secureCookies: false });
  const errors: SessionError[] = [];
  app.onError((error, c) => {
    if (error instanceof SessionError && error.code === "ERR_SESSION_STORE") {
      errors.push(error);
      return c.text("Sessions are unavailable, try again shortly.", 503);
    }
    return c.text(`unexpected: ${error}`, 500);
  });
  return { app, errors };
}

function sessionCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith("session="))?.split(";")[0];
}

interface Visitor {
  cookie?: string;
  /** Visits the server confirmed with a 200. */
  confirmed: number;
  /** Requests on this session that failed: each may or may not have reached Redis. */
  unconfirmed: number;
}

describe("UpstashRedisStore faults, through the demo over HTTP", () => {
  it("answers 503 while the endpoint is down, then has every session whose save succeeded", async () => {
    const store = new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets: SECRET, prefix, owner: "user", timeout: 1_000 });
    const { app, errors } = demo(store);
    const server: Listening = await listen(app);
    const statuses = new Map<string, number>();
    const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
    let phase: "before" | "down" | "after" = "before";
    let running = true;
    const visitors: Visitor[] = [];
    // Each phase lasts until the load has really run in it, not a fixed time: a busy machine serves
    // fewer requests a second, and the test must not depend on how many.
    const served = (what: string) => statuses.get(what) ?? 0;
    async function until(reached: () => boolean, what: string) {
      for (const deadline = Date.now() + 20_000; !reached(); ) {
        if (Date.now() > deadline) throw new Error(`the load never reached: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    let users: Promise<void>[] = [];
    async function visit(visitor: Visitor) {
      while (running) {
        if (!visitor.cookie) {
          const response = await fetch(`${server.base}/login`, {
            method: "POST",
            headers: { Origin: server.base },
            body: new URLSearchParams({ username: "load", password: "password" }),
            redirect: "manual",
          });
          await response.text();
          count(`${phase} login ${response.status}`);
          if (response.status === 302) visitor.cookie = sessionCookie(response);
          else expect(response.status).toBe(503);
          continue;
        }
        const response = await fetch(`${server.base}/`, { headers: { Cookie: visitor.cookie }, redirect: "manual" });
        const html = await response.text();
        count(`${phase} page ${response.status}`);
        if (response.status === 200) {
          visitor.confirmed = Number(/id="visits">(\d+)</.exec(html)![1]);
        } else {
          expect(response.status, html).toBe(503);
          expect(html).toContain("Sessions are unavailable");
          visitor.unconfirmed++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }

    try {
      users = Array.from({ length: USERS }, () => {
        const visitor: Visitor = { confirmed: 0, unconfirmed: 0 };
        visitors.push(visitor);
        return visit(visitor);
      });
      await until(() => served("before page 200") > 10, "11 pages before the outage");
      await endpoint.stop();
      phase = "down";
      // A sign-in has no session to load: it reaches the store only to save, and that save must fail.
      const before = errors.length;
      const signIn = await fetch(`${server.base}/login`, {
        method: "POST",
        headers: { Origin: server.base },
        body: new URLSearchParams({ username: "late", password: "password" }),
        redirect: "manual",
      });
      expect(signIn.status).toBe(503);
      expect(sessionCookie(signIn)).toBeUndefined();
      expect(errors.slice(before).some((error) => /save/.test(error.message))).toBe(true);
      await until(() => served("down page 503") + served("down login 503") > 0, "a 503 during the outage");
      await endpoint.start();
      phase = "after";
      await until(() => served("after page 200") > 10, "11 pages after the outage");
      running = false;
      await Promise.all(users);

      // The load really ran on both sides of the outage, and the outage was really seen.
      expect(statuses.get("before page 200")).toBeGreaterThan(10);
      expect(statuses.get("after page 200")).toBeGreaterThan(10);
      expect((statuses.get("down page 503") ?? 0) + (statuses.get("down login 503") ?? 0)).toBeGreaterThan(0);
      // Nothing but the app's own answers: no 500, no hang (every user finished).
      for (const what of statuses.keys()) expect(what).toMatch(/ (200|302|503)$/);
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error.code).toBe("ERR_SESSION_STORE");
        expect(error.message).toMatch(/could not (load|save) the session in Redis|did not answer the (load|save)/);
      }

      // Every session whose save was confirmed is there, with at least the confirmed count.
      const signedIn = visitors.filter((visitor) => visitor.cookie);
      expect(signedIn.length).toBe(USERS);
      for (const visitor of signedIn) {
        const response = await fetch(`${server.base}/`, { headers: { Cookie: visitor.cookie! }, redirect: "manual" });
        expect(response.status).toBe(200);
        const visits = Number(/id="visits">(\d+)</.exec(await response.text())![1]);
        // A failed request may still have reached Redis before its answer was lost: at most one more each.
        expect(visits).toBeGreaterThanOrEqual(visitor.confirmed + 1);
        expect(visits).toBeLessThanOrEqual(visitor.confirmed + 1 + visitor.unconfirmed);
      }
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      running = false;
      await Promise.allSettled(users);
      if (phase !== "after") await endpoint.start().catch(() => {});
      await server.close();
    }
  }, 90_000);

  it("answers within the timeout when the endpoint is slow, and recovers when it is fast again", async () => {
    const store = new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets: SECRET, prefix, owner: "user", timeout: TIMEOUT });
    const { app, errors } = demo(store);
    const server = await listen(app);
    try {
      const login = await fetch(`${server.base}/login`, {
        method: "POST",
        headers: { Origin: server.base },
        body: new URLSearchParams({ username: "slow", password: "password" }),
        redirect: "manual",
      });
      expect(login.status).toBe(302);
      const cookie = sessionCookie(login)!;

      endpoint.latency = 5_000;
      const timed = async (request: () => Promise<Response>) => {
        const started = performance.now();
        const response = await request();
        await response.text();
        return { status: response.status, ms: performance.now() - started };
      };
      const [page, signIn] = await Promise.all([
        timed(() => fetch(`${server.base}/`, { headers: { Cookie: cookie }, redirect: "manual" })),
        timed(() =>
          fetch(`${server.base}/login`, { method: "POST", headers: { Origin: server.base }, body: new URLSearchParams({ username: "x", password: "password" }), redirect: "manual" }),
        ),
      ]);
      // The load (page) and the save (sign-in) both give up at the timeout, far from the 5 s the endpoint takes.
      for (const result of [page, signIn]) {
        expect(result.status).toBe(503);
        expect(result.ms).toBeGreaterThanOrEqual(TIMEOUT - 50);
        expect(result.ms).toBeLessThan(TIMEOUT + 700);
      }
      expect(errors.map((error) => error.message).sort()).toEqual([
        `Redis did not answer the load within ${TIMEOUT} ms`,
        `Redis did not answer the save within ${TIMEOUT} ms`,
      ]);

      endpoint.latency = 0;
      const again = await fetch(`${server.base}/`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(again.status).toBe(200);
      expect(await again.text()).toContain("Signed in as <strong>slow</strong>");
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      endpoint.latency = 0;
      await server.close();
    }
  }, 30_000);
});
