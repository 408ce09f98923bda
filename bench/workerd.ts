/**
 * The cookie-session tables inside workerd: bench/worker.ts bundled as `wrangler deploy` would
 * bundle it and run by Miniflare. Node times each batch of requests from outside: one
 * `dispatchFetch` that runs N requests of one row inside the worker, minus the median cost of an
 * empty dispatch (N = 0) measured in the same round. The clock is workerd's own CPU time, its
 * threads' schedstat read by Node before and after the dispatch (bench/cpu-time.ts), so the time
 * workerd waited for the CPU while other work ran is not counted; Node's wall clock where /proc
 * cannot be read. N is sized so a batch takes about half of `ms`, from a first batch long enough
 * to size by, so the hop into workerd is a small, subtracted part of each timing and workerd's
 * coarse clock plays no part. Rows are interleaved as on the other runtimes, and the ratios are
 * taken against bare Hono measured the same way in the same rounds.
 *
 * What is left of the noise is V8's: every two seconds or so a full collection of the garbage all
 * rows left costs workerd 100 to 250 ms of CPU, and the batch that runs into it reads up to twice
 * its usual time, whichever row it belongs to. A worker has no `gc()` to call between batches (and
 * workerd does not answer the inspector's HeapProfiler.collectGarbage), so each row runs two
 * batches back to back per round and the faster counts; a first round is run and not counted.
 *
 * The sanity check: the busy-loop row (bare Hono plus a fixed loop, bench/spin.ts) must read as
 * bare Hono plus the loop alone, timed the same way in the same rounds.
 */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { bundleForWorkerd } from "../test/support/workerd-bundle.ts";
import { median } from "./harness.ts";
import type { Route } from "./harness.ts";
import { routeResult } from "./measure.ts";
import type { ClientStats, RouteResult, RuntimeResult } from "./measure.ts";
import { cpuNs } from "./cpu-time.ts";
import { allowedCpus, describeCpus, descendants } from "./pinning.ts";
import { BUSY_ID, SPIN_ITERATIONS } from "./spin.ts";
import { workerdVariants } from "./worker.ts";

export interface WorkerdOptions {
  rounds: number;
  /** About how long one row runs per round: two batches of half of it, the faster counted. */
  ms: number;
  /** Requests per row before timing starts. */
  warmup: number;
  /**
   * What a batch is timed with: workerd's own CPU time (its threads' schedstat, Linux only; the
   * wall clock where /proc cannot be read), or Node's wall clock around the dispatch.
   * @default "cpu"
   */
  clock?: "cpu" | "wall";
  /** Called with each timed batch, both clocks, for looking into the method. */
  onBatch?: (batch: Batch) => void;
  log?: (line: string) => void;
}

/** One timed dispatch: ms by the wall clock and by workerd's CPU time (NaN where not read). */
export interface Batch {
  route: Route;
  /** From 0 for counted rounds; -1 for the uncounted first one, -2 while sizing. */
  round: number;
  /** A row's id, "loop" for the loop alone, "empty" for an empty dispatch. */
  id: string;
  n: number;
  wallMs: number;
  cpuMs: number;
}

/** The busy-loop check of one run: µs per request over bare Hono against µs of the loop alone. */
export interface SanityCheck {
  /** Median over rounds of the busy row's µs per request minus bare Hono's. */
  rowOverBareUs: number;
  /** Median over rounds of the loop alone, µs per SPIN_ITERATIONS steps. */
  loopUs: number;
  /** What the worker's own clock read for the loop-alone batches, against the clock timing them (ms, summed). */
  insideMs: number;
  outsideMs: number;
  /** What timed them: workerd's CPU time, or Node's wall clock. */
  clock: "cpu" | "wall";
}

/** Empty dispatches per round; their median is subtracted from each batch. */
const EMPTY_PER_ROUND = 5;

export async function measureWorkerd(options: WorkerdOptions): Promise<RuntimeResult & { sanity: SanityCheck }> {
  const { rounds, ms, warmup, clock = "cpu", onBatch, log } = options;
  const script = await bundleForWorkerd(fileURLToPath(new URL("./worker.ts", import.meta.url)));
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-09-01" });
  const post = async (path: string) => {
    const res = await mf.dispatchFetch(`http://localhost${path}`, { method: "POST" });
    const body = await res.text();
    if (!res.ok) throw new Error(`workerd ${path}: ${res.status} ${body}`);
    return body;
  };
  // workerd's processes, once Miniflare has started them; CPU time is read only if it can be.
  let pids: number[] = [];
  let byCpu = false;
  let route: Route = "counter";
  let round = -2;
  /** One dispatch, ms by the chosen clock (the other is kept for onBatch). */
  const timed = async (path: string, id: string, n: number) => {
    const cpuStart = cpuNs(pids);
    const start = performance.now();
    const body = await post(path);
    const wallMs = performance.now() - start;
    const cpuEnd = cpuNs(pids);
    const cpuMs = cpuStart !== undefined && cpuEnd !== undefined ? (cpuEnd - cpuStart) / 1e6 : Number.NaN;
    onBatch?.({ route, round, id, n, wallMs, cpuMs });
    return { ms: byCpu ? cpuMs : wallMs, body };
  };
  const emptyMs = async () => {
    const times: number[] = [];
    for (let i = 0; i < EMPTY_PER_ROUND; i++) times.push((await timed("/batch?row=-1&n=0", "empty", 0)).ms);
    return median(times);
  };
  // A batch's work: its time less the round's empty dispatch (never below a tenth of the whole, so
  // a tiny batch in a test cannot turn negative).
  const work = (total: number, empty: number) => Math.max(total - empty, total / 10);

  const sanity: SanityCheck = { rowOverBareUs: Number.NaN, loopUs: Number.NaN, insideMs: 0, outsideMs: 0, clock: "wall" };
  const measure = async (measured: Route): Promise<RouteResult> => {
    route = measured;
    round = -2;
    const variants = workerdVariants(route);
    await post(`/setup?route=${route}&warmup=${warmup}`);
    // Size each row's batch to half of `ms` (each is run twice per round) from a first batch that
    // takes at least a tenth of `ms`: a batch of 50 took 1 to 3 ms, too short to size by.
    const half = ms / 2;
    const calibrationEmpty = await emptyMs();
    const sizes: number[] = [];
    for (const [i, v] of variants.entries()) {
      for (let n = 50; ; n *= 4) {
        const took = work((await timed(`/batch?row=${i}&n=${n}`, v.id, n)).ms, calibrationEmpty);
        if (took < ms / 10 && n < 1e6) continue;
        sizes.push(Math.max(5, Math.round((half * n) / took)));
        break;
      }
    }
    // A full garbage collection lands in whichever batch is running when the heap fills, every two
    // seconds or so, and costs workerd 100 to 250 ms; so each row runs its batch twice in a row per
    // round and the faster of the two counts. The first also takes any collection the rows before
    // it made due; both are rarely hit.
    const fasterOfTwo = async (path: string, id: string, n: number) => {
      const [a, b] = [await timed(path, id, n), await timed(path, id, n)];
      return a.ms <= b.ms ? a : b;
    };
    const busy = variants.findIndex((v) => v.id === BUSY_ID);
    // The loop alone, as many steps as the busy row's batch runs.
    const loopSteps = busy >= 0 ? sizes[busy]! * SPIN_ITERATIONS : 0;
    const rps = variants.map(() => [] as number[]);
    const loopUs: number[] = [];
    let empty = 0;
    // One job per row, and the loop alone right after the busy row; rotated from round to round.
    const jobs: (() => Promise<void>)[] = [];
    for (const [i, v] of variants.entries()) {
      jobs.push(async () => void rps[i]!.push((sizes[i]! * 1000) / work((await fasterOfTwo(`/batch?row=${i}&n=${sizes[i]}`, v.id, sizes[i]!)).ms, empty)));
      if (i !== busy) continue;
      jobs.push(async () => {
        const { ms: total, body } = await fasterOfTwo(`/spin?iterations=${loopSteps}`, "loop", sizes[busy]!);
        loopUs.push((work(total, empty) * 1000) / sizes[busy]!);
        sanity.insideMs += (JSON.parse(body) as { insideMs: number }).insideMs;
        sanity.outsideMs += work(total, empty);
      });
    }
    log?.(`  ${route} route: ${variants.length} rows round-trip intact; measuring (about ${Math.round((jobs.length * (rounds + 1) * ms) / 1000)} s)`);
    // One round more than counted, first: the first round after setup and sizing read high (up
    // to twice) for the first rows it ran.
    for (round = -1; round < rounds; round++) {
      empty = await emptyMs();
      for (let k = 0; k < jobs.length; k++) await jobs[(k + rounds + round) % jobs.length]!();
      if (round >= 0) continue;
      for (const each of rps) each.length = 0;
      loopUs.length = 0;
      if (busy >= 0) sanity.insideMs = sanity.outsideMs = 0;
    }
    const stats = JSON.parse(await post("/stats")) as ClientStats[];
    const result = routeResult(route, variants, rps, stats);
    if (busy >= 0) {
      const bare = rps[variants.findIndex((v) => v.id === "bare")]!;
      sanity.rowOverBareUs = median(rps[busy]!.map((x, r) => 1e6 / x - 1e6 / bare[r]!));
      sanity.loopUs = median(loopUs);
    }
    return result;
  };
  try {
    await mf.ready;
    pids = descendants(process.pid, "workerd");
    byCpu = clock === "cpu" && cpuNs(pids) !== undefined;
    sanity.clock = byCpu ? "cpu" : "wall";
    const cpus = pids.flatMap((pid) => allowedCpus(pid));
    const counter = await measure("counter");
    const read = await measure("read");
    const miniflare = JSON.parse(readFileSync(new URL("../node_modules/miniflare/package.json", import.meta.url), "utf8")) as { version: string };
    const pinned = describeCpus([...new Set(cpus)]);
    return {
      runtime: `workerd (Miniflare ${miniflare.version})`,
      method: workerdMethod({ rounds, ms, byCpu, wanted: clock, pinned }),
      notes: [sanityNote(sanity)],
      counter,
      read,
      sanity,
    };
  } finally {
    await mf.dispose();
  }
}

/** How the workerd figures were timed, in words, for RESULTS.md. */
export function workerdMethod(m: { rounds: number; ms: number; byCpu: boolean; wanted: "cpu" | "wall"; pinned: string }): string {
  const clock = m.byCpu
    ? "workerd's own CPU time (its threads' schedstat in /proc, read by Node before and after the dispatch), so time workerd spent waiting for the CPU while other work ran is not counted"
    : m.wanted === "cpu"
      ? "Node's wall clock, because workerd's CPU time could not be read here (no Linux /proc): time other work took from workerd is counted, and these figures are noisier"
      : "Node's wall clock around the dispatch";
  return `inside the worker, app.request(), timed from Node: each timing is one dispatchFetch that runs a batch of one row's requests (sized to about ${m.ms / 2} ms) inside the worker, less the median of ${EMPTY_PER_ROUND} empty dispatches of the same round, timed by ${clock}; workerd's own clock (still during computation on Cloudflare, whole milliseconds under Miniflare) plays no part. Every two seconds or so a full garbage collection of all rows' garbage lands in whichever batch is running and can double it, so each row runs two batches back to back per round and the faster counts (full collections are left out of every row alike), and a first round is run and not counted; ${m.rounds} rounds counted${m.pinned ? `; workerd's threads: ${m.pinned}` : ""}`;
}

/** The sanity check in words, for RESULTS.md. */
export function sanityNote(s: SanityCheck): string {
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "—");
  const agree = s.rowOverBareUs / s.loopUs;
  const verdict = sanityHolds(s) ? "they agree within 20%" : "**they differ by more than 20%: this run's workerd numbers are not to be trusted**";
  return `Sanity check of the timing: the busy-loop row (bare Hono plus ${SPIN_ITERATIONS.toLocaleString("en-US")} xorshift steps in its handler) reads **${fmt(s.rowOverBareUs)} µs** per request over bare Hono; the loop alone, timed the same way in the same rounds, takes **${fmt(s.loopUs)} µs** (${Number.isFinite(agree) ? `${agree.toFixed(2)}×` : "—"}; ${verdict}). For the loop-alone batches the worker's own clock read ${fmt(s.insideMs)} ms in all, ${s.clock === "cpu" ? "workerd's CPU time" : "Node's clock"} ${fmt(s.outsideMs)} ms.`;
}

/** Whether the busy row's extra time matches the loop alone within 20%. */
export function sanityHolds(s: SanityCheck): boolean {
  const agree = s.rowOverBareUs / s.loopUs;
  return agree >= 0.8 && agree <= 1.2;
}
