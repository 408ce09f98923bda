/**
 * Timing apps alone, as `app.fetch()` on Requests built beforehand, by the process's CPU time:
 * the loop of bench/machinery.ts and bench/floor-steps.ts.
 */

export interface TimedApp {
  id: string;
  fetch(request: Request): Response | Promise<Response>;
  // Requests without a body can be handled again; several, so no single object stays hot.
  requests: Request[];
}

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const cpuUsage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage;
// Milliseconds of CPU time where the runtime reports it, else of wall time.
const clock = cpuUsage ? () => {
  const { user, system } = cpuUsage();
  return (user + system) / 1000;
} : () => performance.now();

/** µs per request over about `ms` of the clock. */
async function slice({ id, fetch, requests }: TimedApp, ms: number): Promise<number> {
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

/**
 * Times `apps` interleaved, ROUNDS (default 15) rounds of MS (default 100) ms each, the order
 * rotated from round to round, and prints each app's median µs per request and the median of its
 * per-round differences to `baseline(id)`'s (no difference for an app that is its own baseline).
 */
export async function compareApps(apps: TimedApp[], baseline: (id: string) => string): Promise<void> {
  const rounds = Number(env.ROUNDS ?? 15);
  const ms = Number(env.MS ?? 100);
  for (const app of apps) await slice(app, 300);
  const us = apps.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < apps.length; k++) {
      const i = (k + round) % apps.length;
      us[i]!.push(await slice(apps[i]!, ms));
    }
  }
  const runtime = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  const name = runtime.Deno ? `Deno ${runtime.Deno.version.deno}` : runtime.Bun ? `Bun ${runtime.Bun.version}` : `Node ${(globalThis as { process?: { version: string } }).process?.version}`;
  console.log(`${name}, ${cpuUsage ? "CPU" : "wall"} time, ${rounds} rounds × ${ms} ms, µs per request (median), and minus bare Hono (median of the rounds' differences):`);
  const width = Math.max(...apps.map(({ id }) => id.length)) + 1;
  apps.forEach(({ id }, i) => {
    const base = apps.findIndex((each) => each.id === baseline(id));
    const over = base === i ? "" : `  (+${median(us[i]!.map((value, round) => value - us[base]![round]!)).toFixed(2)})`;
    console.log(`  ${id.padEnd(width)} ${median(us[i]!).toFixed(2)}${over}`);
  });
}
