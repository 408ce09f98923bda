/**
 * The minimal session middleware (bench/minimal-session.ts) taken apart, a step at a time, app
 * alone and by CPU time as in bench/machinery.ts: what each thing any Hono session middleware must
 * do costs on this runtime, so a target can be set against it.
 *
 *   npx tsx bench/floor-steps.ts                        Node
 *   deno run -A --no-check bench/floor-steps.ts         Deno
 *   bun bench/floor-steps.ts                            Bun
 *
 * Each row adds one step to the one before (the last adds only the Set-Cookie of the counter route
 * to the empty middleware); every handler answers the same JSON profile, from the session where
 * there is one. Run it pinned (`taskset -c 1`); ROUNDS and MS as in bench/machinery.ts.
 */

import { Hono } from "hono";
import type { MiddlewareHandler } from "hono";
import { compareApps } from "./app-timing.ts";
import type { TimedApp } from "./app-timing.ts";
import { SESSION_COOKIE } from "./browser-cookie.ts";
import { LOGIN, PROFILE_KEYS } from "./fixture.ts";
import { copySession, sessionSetCookie, sessionValue } from "./minimal-session.ts";
import type { SessionMap } from "./minimal-session.ts";

// As long as the encrypted CookieStore's value, as in the benchmark.
const TOKEN = "x".repeat(339);
const HELD = new Map<string, SessionMap>([[TOKEN, new Map(Object.entries({ ...LOGIN, count: 7 }))]]);
const LINE = sessionSetCookie(TOKEN);
// Where a step computes something no handler reads, so it is not optimized away.
let sink: unknown;

const STEPS: [string, MiddlewareHandler | undefined][] = [
  ["bare", undefined],
  ["+ empty middleware", async (_c, next) => {
    await next();
  }],
  ["+ headers.get(Cookie)", async (c, next) => {
    sink = c.req.raw.headers.get("Cookie");
    await next();
  }],
  ["+ find the value", async (c, next) => {
    sink = sessionValue(c.req.raw.headers.get("Cookie"));
    await next();
  }],
  ["+ look up, copy", async (c, next) => {
    const value = sessionValue(c.req.raw.headers.get("Cookie"));
    sink = copySession(value === undefined ? undefined : HELD.get(value));
    await next();
  }],
  ["+ c.set: the read", async (c, next) => {
    const value = sessionValue(c.req.raw.headers.get("Cookie"));
    c.set("session" as never, copySession(value === undefined ? undefined : HELD.get(value)) as never);
    await next();
  }],
  ["empty + Set-Cookie", async (c, next) => {
    await next();
    c.res.headers.append("Set-Cookie", LINE);
  }],
];

function app([id, step]: (typeof STEPS)[number]): TimedApp {
  const hono = new Hono();
  if (step) hono.use(step);
  hono.get("/", (c) => {
    const session = c.get("session" as never) as SessionMap | undefined;
    const profile: Record<string, unknown> = {};
    for (const key of [...PROFILE_KEYS, "count"]) profile[key] = session ? session.get(key) : HELD.get(TOKEN)!.get(key);
    return c.json(profile);
  });
  const requests = Array.from({ length: 64 }, () => new Request("http://localhost/", { headers: { Cookie: `${SESSION_COOKIE}=${TOKEN}` } }));
  return { id, fetch: (request) => hono.fetch(request), requests };
}

await compareApps(STEPS.map(app), () => "bare");
void sink;
