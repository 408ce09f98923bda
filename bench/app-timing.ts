/**
 * Timing apps alone, as `app.fetch()` on Requests built beforehand, by the process's CPU time:
 * the loop of bench/machinery.ts, bench/floor-steps.ts and bench/guard.ts. The benchmark's client
 * (building each Request, reading the body and the Set-Cookie lines) is left out, and with it most
 * of its garbage, whose collections make the client's rounds disagree by several µs on Node.
 */

import { interleave, newClient } from "./harness.ts";
import type { Route } from "./harness.ts";
import { READ_VARIANTS } from "./read-variants.ts";
import { VARIANTS } from "./variants.ts";

export interface TimedApp {
  id: string;
  fetch(request: Request): Response | Promise<Response>;
  // Requests without a body can be handled again; several, so no single object stays hot.
  requests: Request[];
}

export interface TimingOptions {
  rounds: number;
  /** Per app and round. */
  ms: number;
  /**
   * A new Request for every call, as a server hands each request over: a runtime may build a
   * Request's Headers on first use, which a reused Request has done already.
   */
  fresh?: boolean;
}

const cpuUsage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage;
/** Whether the times are CPU time (where the runtime reports it) rather than wall time. */
export const CPU_TIME = cpuUsage !== undefined;
// Milliseconds of CPU time where the runtime reports it, else of wall time.
const clock = cpuUsage ? () => {
  const { user, system } = cpuUsage();
  return (user + system) / 1000;
} : () => performance.now();

/** µs per request over about `ms` of the clock. */
async function slice({ id, fetch, requests }: TimedApp, ms: number, fresh: boolean): Promise<number> {
  let n = 0;
  let elapsed: number;
  const start = clock();
  do {
    for (const request of requests) {
      const response = await fetch(fresh ? new Request(request.url, { headers: request.headers }) : request);
      if (response.status !== 200) throw new Error(`${id}: status ${response.status}`);
    }
    n += requests.length;
    elapsed = clock() - start;
  } while (elapsed < ms);
  return (elapsed * 1000) / n;
}

/**
 * µs per request of each app in each round (`[app][round]`): a warm-up, then the apps interleaved
 * as the benchmark's rows are (bench/harness.ts, `interleave`: rotated, each slice after a lead-in).
 */
export async function timeRounds(apps: readonly TimedApp[], { rounds, ms, fresh = false }: TimingOptions): Promise<number[][]> {
  for (const app of apps) await slice(app, 300, fresh);
  return interleave(apps, rounds, ms, (app, ms) => slice(app, ms, fresh));
}

/** A benchmark row (`counter:ws-null`, `read:bare`, ...), with Requests carrying the cookie its client was last given. */
export async function timedRow(id: string): Promise<TimedApp> {
  const [route, variantId] = id.split(":") as [Route, string];
  const variant = (route === "read" ? READ_VARIANTS : VARIANTS).find((v) => v.id === variantId)!;
  const app = await variant.make();
  // A few requests through the usual client: they check the round trip and give the cookie to send.
  const client = await newClient(id, app, variant.setsCookie, route);
  for (let i = 0; i < 5; i++) await client.hit();
  const cookie = client.cookie;
  const requests = Array.from({ length: 64 }, () => new Request("http://localhost/", { headers: { Cookie: cookie } }));
  return { id, fetch: (request) => app.fetch(request), requests };
}

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/**
 * Times `apps` (ROUNDS rounds, default 15, of MS ms, default 100; FRESH=1 for a new Request per
 * call) and prints each app's median µs per request and the median of its per-round differences
 * to `baseline(id)`'s (none for an app that is its own baseline).
 */
export async function compareApps(apps: TimedApp[], baseline: (id: string) => string): Promise<void> {
  const rounds = Number(env.ROUNDS ?? 15);
  const ms = Number(env.MS ?? 100);
  const us = await timeRounds(apps, { rounds, ms, fresh: !!env.FRESH });
  const runtime = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  const name = runtime.Deno ? `Deno ${runtime.Deno.version.deno}` : runtime.Bun ? `Bun ${runtime.Bun.version}` : `Node ${(globalThis as { process?: { version: string } }).process?.version}`;
  console.log(`${name}, ${CPU_TIME ? "CPU" : "wall"} time, ${rounds} rounds × ${ms} ms${env.FRESH ? ", a new Request per call" : ""}, µs per request (median), and minus bare Hono (median of the rounds' differences):`);
  const width = Math.max(...apps.map(({ id }) => id.length)) + 1;
  apps.forEach(({ id }, i) => {
    const base = apps.findIndex((each) => each.id === baseline(id));
    const difference = median(us[i]!.map((value, round) => value - us[base]![round]!));
    const over = base === i ? "" : `  (${difference < 0 ? "" : "+"}${difference.toFixed(2)})`;
    console.log(`  ${id.padEnd(width)} ${median(us[i]!).toFixed(2)}${over}`);
  });
}
