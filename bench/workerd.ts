/**
 * The cookie-session tables inside workerd: bench/worker.ts bundled as `wrangler deploy` would
 * bundle it and run by Miniflare. Node times each batch of requests from outside, with its own
 * clock: one `dispatchFetch` that runs N requests of one row inside the worker, minus the median
 * cost of an empty dispatch (N = 0) measured in the same round. N is sized so a batch takes about
 * `ms`, so the loopback hop into workerd is a small, subtracted part of each timing and workerd's
 * coarse clock plays no part. Rows are interleaved as on the other runtimes, and the ratios are
 * taken against bare Hono measured the same way in the same rounds.
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
import { allowedCpus, describeCpus, descendants } from "./pinning.ts";
import { BUSY_ID, SPIN_ITERATIONS } from "./spin.ts";
import { workerdVariants } from "./worker.ts";

export interface WorkerdOptions {
  rounds: number;
  /** About how long one batch (one row's timing in one round) takes. */
  ms: number;
  /** Requests per row before timing starts. */
  warmup: number;
  log?: (line: string) => void;
}

/** The busy-loop check of one run: µs per request over bare Hono against µs of the loop alone. */
export interface SanityCheck {
  /** Median over rounds of the busy row's µs per request minus bare Hono's. */
  rowOverBareUs: number;
  /** Median over rounds of the loop alone, µs per SPIN_ITERATIONS steps. */
  loopUs: number;
  /** What the worker's own clock read for the loop-alone batches, against Node's clock (ms, summed). */
  insideMs: number;
  outsideMs: number;
}

/** Empty dispatches per round; their median is subtracted from each batch. */
const EMPTY_PER_ROUND = 5;

export async function measureWorkerd(options: WorkerdOptions): Promise<RuntimeResult & { sanity: SanityCheck }> {
  const { rounds, ms, warmup, log } = options;
  const script = await bundleForWorkerd(fileURLToPath(new URL("./worker.ts", import.meta.url)));
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-09-01" });
  const post = async (path: string) => {
    const res = await mf.dispatchFetch(`http://localhost${path}`, { method: "POST" });
    const body = await res.text();
    if (!res.ok) throw new Error(`workerd ${path}: ${res.status} ${body}`);
    return body;
  };
  /** Node's clock around one dispatch, ms. */
  const timed = async (path: string) => {
    const start = performance.now();
    const body = await post(path);
    return { ms: performance.now() - start, body };
  };
  const emptyMs = async () => {
    const times: number[] = [];
    for (let i = 0; i < EMPTY_PER_ROUND; i++) times.push((await timed("/batch?row=-1&n=0")).ms);
    return median(times);
  };
  // A batch's work: its time less the round's empty dispatch (never below a tenth of the whole, so
  // a tiny batch in a test cannot turn negative).
  const work = (total: number, empty: number) => Math.max(total - empty, total / 10);

  const sanity: SanityCheck = { rowOverBareUs: Number.NaN, loopUs: Number.NaN, insideMs: 0, outsideMs: 0 };
  const measure = async (route: Route): Promise<RouteResult> => {
    const variants = workerdVariants(route);
    await post(`/setup?route=${route}&warmup=${warmup}`);
    // Size each row's batch to about `ms`, from a first batch of 50.
    const calibrationEmpty = await emptyMs();
    const sizes: number[] = [];
    for (const [i] of variants.entries()) {
      const perRequest = work((await timed(`/batch?row=${i}&n=50`)).ms, calibrationEmpty) / 50;
      sizes.push(Math.max(5, Math.round(ms / perRequest)));
    }
    const busy = variants.findIndex((v) => v.id === BUSY_ID);
    // The loop alone, as many steps as the busy row's batch runs.
    const loopSteps = busy >= 0 ? sizes[busy]! * SPIN_ITERATIONS : 0;
    const rps = variants.map(() => [] as number[]);
    const loopUs: number[] = [];
    let empty = 0;
    // One job per row, and the loop alone right after the busy row; rotated from round to round.
    const jobs: (() => Promise<void>)[] = [];
    for (const [i] of variants.entries()) {
      jobs.push(async () => void rps[i]!.push((sizes[i]! * 1000) / work((await timed(`/batch?row=${i}&n=${sizes[i]}`)).ms, empty)));
      if (i !== busy) continue;
      jobs.push(async () => {
        const { ms: total, body } = await timed(`/spin?iterations=${loopSteps}`);
        loopUs.push((work(total, empty) * 1000) / sizes[busy]!);
        sanity.insideMs += (JSON.parse(body) as { insideMs: number }).insideMs;
        sanity.outsideMs += work(total, empty);
      });
    }
    log?.(`  ${route} route: ${variants.length} rows round-trip intact; measuring (about ${Math.round((jobs.length * rounds * ms) / 1000)} s)`);
    for (let round = 0; round < rounds; round++) {
      empty = await emptyMs();
      for (let k = 0; k < jobs.length; k++) await jobs[(k + round) % jobs.length]!();
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
    const cpus = descendants(process.pid, "workerd").flatMap((pid) => allowedCpus(pid));
    const counter = await measure("counter");
    const read = await measure("read");
    const miniflare = JSON.parse(readFileSync(new URL("../node_modules/miniflare/package.json", import.meta.url), "utf8")) as { version: string };
    const pinned = describeCpus([...new Set(cpus)]);
    return {
      runtime: `workerd (Miniflare ${miniflare.version})`,
      method: `inside the worker, app.request(), timed from Node: each timing is one dispatchFetch that runs a batch of one row's requests (sized to about ${ms} ms) inside the worker, less the median of ${EMPTY_PER_ROUND} empty dispatches of the same round, so workerd's own clock (still during computation on Cloudflare, whole milliseconds under Miniflare) neither hides nor invents time${pinned ? `; workerd's threads: ${pinned}` : ""}`,
      notes: [sanityNote(sanity)],
      counter,
      read,
      sanity,
    };
  } finally {
    await mf.dispose();
  }
}

/** The sanity check in words, for RESULTS.md. */
export function sanityNote(s: SanityCheck): string {
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "—");
  const agree = s.rowOverBareUs / s.loopUs;
  const verdict = sanityHolds(s) ? "they agree within 20%" : "**they differ by more than 20%: this run's workerd numbers are not to be trusted**";
  return `Sanity check of the timing: the busy-loop row (bare Hono plus ${SPIN_ITERATIONS.toLocaleString("en-US")} xorshift steps in its handler) reads **${fmt(s.rowOverBareUs)} µs** per request over bare Hono; the loop alone, timed the same way in the same rounds, takes **${fmt(s.loopUs)} µs** (${Number.isFinite(agree) ? `${agree.toFixed(2)}×` : "—"}; ${verdict}). For the loop-alone batches the worker's own clock read ${fmt(s.insideMs)} ms in all, Node's ${fmt(s.outsideMs)} ms.`;
}

/** Whether the busy row's extra time matches the loop alone within 20%. */
export function sanityHolds(s: SanityCheck): boolean {
  const agree = s.rowOverBareUs / s.loopUs;
  return agree >= 0.8 && agree <= 1.2;
}
