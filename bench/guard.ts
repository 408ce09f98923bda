/**
 * `npm run bench:guard`: about a minute, Node only. Interleaved rounds of bare Hono and the
 * null-store row (web-sessions with a store that does nothing), pinned to one core like
 * `npm run bench`; per round, web-sessions' machinery is the null-store row's µs per request minus
 * bare Hono's. Exits 1 when the median over rounds exceeds the goal (2 µs) by more than the run's
 * own spread (the interquartile range of the rounds), so noise alone does not fail it but a real
 * regression does. Not part of `npm test`, which must not depend on timing.
 *
 * Environment: GUARD_ROUNDS (default 40) and GUARD_MS (default 500) per row and round; GOAL_US to
 * try another goal; BENCH_CPU (default 0) the CPU to pin to.
 */

import { fileURLToPath } from "node:url";
import { loadavg } from "node:os";
import { checkRoundTrips, interleave, spread } from "./harness.ts";
import { runPinned } from "./pinning.ts";
import { GOALS, guardVerdict, roundDifferencesUs } from "./targets.ts";
import { BARE_ID, VARIANTS } from "./variants.ts";

runPinned(fileURLToPath(import.meta.url));

const rounds = Number(process.env.GUARD_ROUNDS ?? 40);
const ms = Number(process.env.GUARD_MS ?? 500);
const goal = Number(process.env.GOAL_US ?? GOALS.machineryUs("Node"));
const load = () => loadavg().map((n) => n.toFixed(2)).join(", ");

const rows = [BARE_ID, "ws-null"].map((id) => VARIANTS.find((v) => v.id === id)!);
console.log(`bench:guard: Node ${process.version}, ${process.env.BENCH_PINNED}, load average ${load()}`);
console.log(`${rounds} interleaved rounds × ${ms} ms of ${rows.map((v) => v.label).join(" and ")} (about ${Math.round((rounds * ms * rows.length) / 1000)} s)`);
const clients = [];
for (const v of rows) clients.push(await checkRoundTrips(v.label, await v.make(), v.setsCookie, 20));
for (const client of clients) for (let i = 0; i < 2000; i++) await client.hit();
const [bare, ws] = await interleave(clients, rounds, ms);

const us = (rps: number) => (1e6 / rps).toFixed(2);
const m = spread(roundDifferencesUs(ws!, bare!));
const bareUs = spread(bare!.map((rps) => 1e6 / rps));
const { pass, limit } = guardVerdict(m, goal);
console.log(`bare Hono: median ${bareUs.median.toFixed(2)} µs/request (rounds ${us(Math.max(...bare!))} to ${us(Math.min(...bare!))})`);
console.log(
  `machinery (null store − bare Hono, per round): median ${m.median.toFixed(2)} µs, IQR ${m.iqr.toFixed(2)} µs (quartiles ${m.q1.toFixed(2)} to ${m.q3.toFixed(2)}, rounds ${m.min.toFixed(2)} to ${m.max.toFixed(2)})`,
);
console.log(`goal ≤ ${goal} µs; fails above goal + IQR = ${limit.toFixed(2)} µs; load average at the end ${load()}`);
if (pass) {
  console.log(`PASS: web-sessions' machinery on Node, ${m.median.toFixed(2)} µs, is within ${limit.toFixed(2)} µs.`);
} else {
  console.error(`FAIL: web-sessions' machinery on Node is ${m.median.toFixed(2)} µs per request, above its ${goal} µs goal by more than this run's spread (IQR ${m.iqr.toFixed(2)} µs).`);
  process.exit(1);
}
