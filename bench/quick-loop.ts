/**
 * Quick in-process loop: what a session costs on top of a bare Hono app.
 *
 *   npx tsx bench/quick-loop.ts                 (on a busy machine: taskset -c 0 npx tsx bench/quick-loop.ts)
 *   ROUNDS=5 SECONDS=2 npx tsx bench/quick-loop.ts
 *
 * This is a quick loop, not the peer benchmark: no network, no HTTP parsing, one request at a time
 * through `app.request()`. It isolates the middleware's own work (parse the cookie, open it, save,
 * seal, serialize) so ratios to "bare" are larger than they would be behind a real server.
 *
 * Every variant serves GET /: read a counter and ten profile fields, increment the counter, save,
 * return JSON. The Set-Cookie of each response is sent back with the next request, and the loop
 * throws if the counter does not come back incremented. Rounds are interleaved (each round runs
 * every variant once) and the table reports medians over rounds.
 */

import { Hono } from "hono";
import { CookieStore, MemoryStore } from "../src/index.ts";
import type { Store } from "../src/index.ts";
import { sessions, getSession } from "../adapters/hono.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 2);
const WARMUP_REQUESTS = 3000;
const SECRET = "quick-loop-secret-at-least-32-characters-long";

interface Profile {
  count: number;
  userId: number;
  name: string;
  email: string;
  roles: string[];
  locale: string;
  theme: string;
  plan: string;
  verified: boolean;
  lastLogin: number;
}

const PROFILE: Omit<Profile, "count"> = {
  userId: 48213,
  name: "Ada Lovelace",
  email: "ada.lovelace@example.com",
  roles: ["user", "editor", "billing"],
  locale: "en-GB",
  theme: "dark",
  plan: "team",
  verified: true,
  lastLogin: 1_767_225_600,
};
const FIELDS = Object.keys(PROFILE) as (keyof typeof PROFILE)[];

function sessionApp(store: Store): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  app.get("/", async (c) => {
    const session = getSession<Profile>(c);
    if (session.isNew) for (const key of FIELDS) session.set(key, PROFILE[key]);
    const profile = Object.fromEntries(FIELDS.map((key) => [key, session.get(key)]));
    const count = (session.get("count") ?? 0) + 1;
    session.set("count", count);
    await session.save();
    return c.json({ count, ...profile });
  });
  return app;
}

// No session: the counter lives in the closure, so the same check runs on every variant.
function bareApp(): Hono {
  const app = new Hono();
  let count = 0;
  app.get("/", (c) => c.json({ count: ++count, ...PROFILE }));
  return app;
}

interface Variant {
  name: string;
  app: Hono;
  cookie: string;
  count: number;
  setCookieBytes: number;
  rps: number[];
}

const variants: Variant[] = [
  ["bare Hono (no session)", bareApp()],
  ["CookieStore encrypted", sessionApp(new CookieStore({ secrets: SECRET }))],
  ["CookieStore encrypt: false", sessionApp(new CookieStore({ secrets: SECRET, encrypt: false }))],
  ["MemoryStore", sessionApp(new MemoryStore({ secrets: SECRET }))],
].map(([name, app]) => ({ name: name as string, app: app as Hono, cookie: "", count: 0, setCookieBytes: 0, rps: [] }));

async function hit(v: Variant): Promise<void> {
  const res = await v.app.request("/", { headers: v.cookie ? { Cookie: v.cookie } : {} });
  const body = (await res.json()) as { count: number; email?: string };
  if (res.status !== 200 || body.count !== v.count + 1 || body.email !== PROFILE.email) {
    throw new Error(`${v.name}: expected count ${v.count + 1}, got status ${res.status} body ${JSON.stringify(body)}`);
  }
  v.count = body.count;
  const setCookie = res.headers.get("Set-Cookie");
  if (setCookie) {
    v.cookie = setCookie.split(";")[0]!;
    v.setCookieBytes = Buffer.byteLength(setCookie);
  }
}

/** Runs requests for about `seconds`, checking the clock every 100 requests; returns requests/s. */
async function timed(v: Variant, seconds: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 100; i++) await hit(v);
    n += 100;
    elapsed = performance.now() - start;
  } while (elapsed < seconds * 1000);
  return (n * 1000) / elapsed;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

for (const v of variants) for (let i = 0; i < WARMUP_REQUESTS; i++) await hit(v);
for (let round = 0; round < ROUNDS; round++) {
  for (const v of variants) v.rps.push(await timed(v, SECONDS));
}

const bare = median(variants[0]!.rps);
console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds × ${SECONDS} s per variant, medians\n`);
console.log("| variant | req/s | µs/req | vs bare | Set-Cookie bytes |");
console.log("|---|--:|--:|--:|--:|");
for (const v of variants) {
  const rps = median(v.rps);
  const cells = [v.name, Math.round(rps).toLocaleString("en-US"), (1e6 / rps).toFixed(1), (rps / bare).toFixed(2), v.setCookieBytes || "—"];
  console.log(`| ${cells.join(" | ")} |`);
}
