/**
 * `npm run bench:guard`: about a minute, Node only. Interleaved rounds of bare Hono and the
 * null-store row (web-sessions with a store that does nothing), pinned to one core like
 * `npm run bench`; per round, web-sessions' machinery is the null-store row's µs per request minus
 * bare Hono's. Exits 1 when the median over rounds exceeds the goal (2 µs) by more than the run's
 * own spread (the interquartile range of the rounds), so noise alone does not fail it but a real
 * regression does. Not part of `npm test`, which must not depend on timing.
 *
 * The apps are timed alone (bench/app-timing.ts), on Requests built beforehand with the Cookie
 * header the row's client sends (bare Hono's as long as the null store's, bench/browser-cookie.ts),
 * by the process's CPU time (`process.cpuUsage()`), not the wall clock, which on a shared machine
 * also counts the time other processes took the core. Not through the benchmark's client, nor on a
 * new Request per call: the garbage of building them made Node's rounds disagree by several µs
 * (IQR 4.5 to 8.7 µs through the client, 2.4 to 7.7 on new Requests, on this kind of machine),
 * which let a machinery three times the goal pass. On Node a Request's headers are built with it,
 * so a reused Request leaves none of the middleware's work out.
 *
 * Environment: GUARD_ROUNDS (default 40) and GUARD_MS (default 500) per row and round; GOAL_US to
 * try another goal; BENCH_CPU (default 0) the CPU to pin to.
 */

import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { timeRounds, timedRow } from "./app-timing.ts";
import { LEAD_IN, spread } from "./harness.ts";
import { runPinned } from "./pinning.ts";
import { GOALS, guardVerdict } from "./targets.ts";

runPinned(fileURLToPath(import.meta.url));

const rounds = Number(process.env.GUARD_ROUNDS ?? 40);
const ms = Number(process.env.GUARD_MS ?? 500);
const goal = Number(process.env.GOAL_US ?? GOALS.machineryUs("Node"));
const load = () => loadavg().map((n) => n.toFixed(2)).join(", ");

console.log(`bench:guard: Node ${process.version}, ${process.env.BENCH_PINNED}, load average ${load()}`);
console.log(`${rounds} interleaved rounds × ${ms} ms of CPU time of bare Hono and of web-sessions with the null store, counter route (about ${Math.round((rounds * ms * 2 * (1 + LEAD_IN)) / 1000)} s)`);
const [bare, ours] = await timeRounds([await timedRow("counter:bare"), await timedRow("counter:ws-null")], { rounds, ms });
const machinery = spread(ours!.map((us, round) => us - bare![round]!));

console.log(`bare Hono: median ${spread(bare!).median.toFixed(2)} µs of CPU time per request`);
console.log(
  `machinery (null store − bare Hono, per round): median ${machinery.median.toFixed(2)} µs, IQR ${machinery.iqr.toFixed(2)} µs (quartiles ${machinery.q1.toFixed(2)} to ${machinery.q3.toFixed(2)}, rounds ${machinery.min.toFixed(2)} to ${machinery.max.toFixed(2)})`,
);
const { pass, limit } = guardVerdict(machinery, goal);
console.log(`goal ≤ ${goal} µs; fails above goal + IQR = ${limit.toFixed(2)} µs; load average at the end ${load()}`);
if (pass) {
  console.log(`PASS: web-sessions' machinery on Node, ${machinery.median.toFixed(2)} µs, is within ${limit.toFixed(2)} µs.`);
} else {
  console.error(`FAIL: web-sessions' machinery on Node is ${machinery.median.toFixed(2)} µs per request, above its ${goal} µs goal by more than this run's spread (IQR ${machinery.iqr.toFixed(2)} µs).`);
  process.exit(1);
}
