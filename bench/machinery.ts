/**
 * What web-sessions itself adds to a request, apart from what the benchmark's client does around it.
 *
 *   npx tsx bench/machinery.ts                          Node
 *   deno run -A --no-check bench/machinery.ts           Deno
 *   bun bench/machinery.ts                              Bun
 *
 * `npm run bench` times `Client.hit()`: it builds a Request with the session's Cookie header (bare
 * Hono's too: a signed-in browser sends it to every page), reads the JSON body and the Set-Cookie
 * lines back. On Node and workerd those steps cost more than the middleware. Here each row's app gets
 * `app.fetch()` on Requests built beforehand, each with the same Cookie header the row's client sends
 * (bare Hono's as long as the encrypted CookieStore's), and the time is the process's CPU time (`process.cpuUsage()`, where the runtime has it), so time spent
 * switched out by other work on a shared machine does not count. Rows are interleaved, round by
 * round, and the differences to bare Hono are taken round by round. The minimal session middleware
 * rows (bench/minimal-session.ts) show the least any Hono session middleware adds, next to
 * web-sessions' null-store row. Run it pinned (`taskset -c 1`).
 * ROUNDS (default 15) and MS (default 100) per row and round.
 */

import { compareApps, timedRow } from "./app-timing.ts";
import type { TimedApp } from "./app-timing.ts";

const ROWS = ["counter:bare", "counter:empty-middleware", "counter:minimal-middleware", "counter:ws-null", "read:bare", "read:minimal-middleware", "read:ws-encrypted"];

const rows: TimedApp[] = [];
for (const id of ROWS) rows.push(await timedRow(id));
await compareApps(rows, (id) => `${id.split(":")[0]}:bare`);
