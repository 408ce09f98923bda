/**
 * The workerd part of `npm run bench` alone, printed and not written to RESULTS.md: each row's µs
 * per request round by round, the three targets with their spread, and the busy-loop check. For
 * judging the workerd method itself, or a change, without the two-minute Node, Deno and Bun parts:
 *
 *   npx tsx bench/workerd-only.ts            (RUNTIME_ROUNDS, RUNTIME_MS as for `npm run bench`)
 *   WORKERD_CLOCK=wall npx tsx bench/workerd-only.ts     timed by Node's wall clock instead
 *
 * It also says how far the two clocks parted per batch: workerd's CPU time over the wall time
 * well below 1 means workerd waited for a CPU (other work ran) while the batch was timed.
 * Pinned like the full run (BENCH_CPU, default 0).
 */

import { fileURLToPath } from "node:url";
import { spread } from "./harness.ts";
import type { RouteResult } from "./measure.ts";
import { runPinned } from "./pinning.ts";
import { runtimeTargets } from "./targets.ts";
import { measureWorkerd } from "./workerd.ts";
import type { Batch } from "./workerd.ts";

runPinned(fileURLToPath(import.meta.url));

const rounds = Number(process.env.RUNTIME_ROUNDS ?? 7);
const ms = Number(process.env.RUNTIME_MS ?? 250);
const log = (line: string) => console.log(line);
const started = performance.now();
log(`workerd alone, ${rounds} rounds × ${ms} ms per row, ${process.env.BENCH_PINNED}, started ${new Date().toISOString()}`);

const clock = process.env.WORKERD_CLOCK === "wall" ? "wall" : "cpu";
const batches: Batch[] = [];
const result = await measureWorkerd({ rounds, ms, warmup: 1000, clock, log, onBatch: (b) => batches.push(b) });
const fmt = (n: number, digits = 1) => n.toFixed(digits);

const table = (r: RouteResult) => {
  log(`\n${r.route} route, µs per request (median, IQR; then round by round):`);
  for (const row of r.rows) {
    const us = (row.roundRps ?? []).map((rps) => 1e6 / rps);
    const s = spread(us);
    log(`  ${row.id.padEnd(20)} ${fmt(s.median).padStart(7)}  IQR ${fmt(s.iqr).padStart(5)}   ${us.map((u) => fmt(u)).join(" ")}`);
  }
};
table(result.counter);
table(result.read);

log("\nTargets (median, IQR, rounds min to max):");
for (const t of runtimeTargets(result)) {
  const v = t.value;
  const digits = t.unit === "µs" ? 1 : 2;
  log(`  ${t.what.padEnd(10)} ${v ? `${fmt(v.median, digits)} ${t.unit}  IQR ${fmt(v.iqr, digits)}  (${fmt(v.min, digits)} to ${fmt(v.max, digits)})` : "—"}`);
}
const timedBatches = batches.filter((b) => b.round >= 0 && b.id !== "empty");
const share = spread(timedBatches.map((b) => b.cpuMs / b.wallMs));
const empty = spread(batches.filter((b) => b.id === "empty").map((b) => (clock === "cpu" ? b.cpuMs : b.wallMs)));
log(`\nworkerd's CPU time ÷ wall time per timed batch: median ${fmt(share.median, 2)}, min ${fmt(share.min, 2)}, max ${fmt(share.max, 2)}; below 0.9 in ${timedBatches.filter((b) => b.cpuMs / b.wallMs < 0.9).length} of ${timedBatches.length}`);
log(`an empty dispatch (${clock} clock): median ${fmt(empty.median, 2)} ms, IQR ${fmt(empty.iqr, 2)}, max ${fmt(empty.max, 2)}`);
log(`\n${result.method}`);
log(result.notes![0]!.replaceAll("**", ""));
log(`took ${fmt((performance.now() - started) / 1000, 0)} s`);
