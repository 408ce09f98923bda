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

import { newClient } from "./harness.ts";
import type { Route } from "./harness.ts";
import { READ_VARIANTS } from "./read-variants.ts";
import { VARIANTS } from "./variants.ts";

const ROWS = ["counter:bare", "counter:empty-middleware", "counter:minimal-middleware", "counter:ws-null", "read:bare", "read:minimal-middleware", "read:ws-encrypted"];

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const cpuUsage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage;
// Milliseconds of CPU time where the runtime reports it, else of wall time.
const clock = cpuUsage ? () => {
  const { user, system } = cpuUsage();
  return (user + system) / 1000;
} : () => performance.now();

interface Row {
  id: string;
  fetch(request: Request): Response | Promise<Response>;
  requests: Request[];
}

async function row(id: string): Promise<Row> {
  const [route, variantId] = id.split(":") as [Route, string];
  const variant = (route === "read" ? READ_VARIANTS : VARIANTS).find((v) => v.id === variantId)!;
  const app = await variant.make();
  // A few requests through the usual client: they check the round trip and give the cookie to send.
  const client = await newClient(id, app, variant.setsCookie, route);
  for (let i = 0; i < 5; i++) await client.hit();
  const cookie = client.cookie;
  // Requests without a body can be handled again; 64 of them, so no single object stays hot.
  const requests = Array.from({ length: 64 }, () => new Request("http://localhost/", { headers: { Cookie: cookie } }));
  return { id, fetch: (request) => app.fetch(request), requests };
}

/** µs per request over about `ms` of the clock. */
async function slice({ id, fetch, requests }: Row, ms: number): Promise<number> {
  let n = 0;
  let elapsed: number;
  const start = clock();
  do {
    for (const request of requests) {
      const response = await fetch(request);
      if (response.status !== 200) throw new Error(`${id}: status ${response.status}`);
    }
    n += requests.length;
    elapsed = clock() - start;
  } while (elapsed < ms);
  return (elapsed * 1000) / n;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const rounds = Number(env.ROUNDS ?? 15);
const ms = Number(env.MS ?? 100);
const rows: Row[] = [];
for (const id of ROWS) rows.push(await row(id));
for (const each of rows) await slice(each, 300);
const us = rows.map(() => [] as number[]);
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < rows.length; k++) {
    const i = (k + round) % rows.length;
    us[i]!.push(await slice(rows[i]!, ms));
  }
}
const runtime = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const name = runtime.Deno ? `Deno ${runtime.Deno.version.deno}` : runtime.Bun ? `Bun ${runtime.Bun.version}` : `Node ${(globalThis as { process?: { version: string } }).process?.version}`;
console.log(`${name}, ${cpuUsage ? "CPU" : "wall"} time, ${rounds} rounds × ${ms} ms, µs per request (median), and minus bare Hono (median of the rounds' differences):`);
rows.forEach(({ id }, i) => {
  const bare = rows.findIndex((each) => each.id === `${id.split(":")[0]}:bare`);
  const over = bare === i ? "" : `  (+${median(us[i]!.map((value, round) => value - us[bare]![round]!)).toFixed(2)})`;
  console.log(`  ${id.padEnd(26)} ${median(us[i]!).toFixed(2)}${over}`);
});
