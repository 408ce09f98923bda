/**
 * DurableObjectStore in workerd (Miniflare, SQLite-backed objects on this machine): RPC calls and
 * milliseconds per request of the bench's login-profile handler, measured inside the Worker
 * (bench/durable-objects-worker.ts). Run alone: `npx tsx bench/durable-objects.ts`.
 */

import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { bundleForWorkerd } from "../test/support/workerd-bundle.ts";
import { median } from "./harness.ts";

export interface DurableObjectResults {
  requests: number;
  workerd: string;
  /** RPC calls to SessionsObjects per request (one load, one save). */
  roundTrips: number;
  /** Milliseconds in store.load + store.save per request. */
  storeMedianMs: number;
  storeP90Ms: number;
  /** Milliseconds for the whole app.request() inside the Worker. */
  requestMedianMs: number;
  /**
   * The whole requests' mean, from their sum: workerd's clock moves in whole milliseconds (and only
   * across I/O), so medians come out whole while the mean resolves less than one.
   */
  requestMeanMs: number;
}

/** Runs `requests` requests (after a warm-up) in workerd and summarizes them. */
export async function measureDurableObjectStore(requests: number): Promise<DurableObjectResults> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleForWorkerd(fileURLToPath(new URL("durable-objects-worker.ts", import.meta.url))),
    compatibilityDate: "2025-09-01",
    durableObjects: { SESSIONS: { className: "SessionsObject", useSQLite: true } },
  });
  try {
    // A first run warms up the isolate and the objects' code paths; the second is measured.
    await (await mf.dispatchFetch("http://localhost/?requests=50")).arrayBuffer();
    const run = (await (await mf.dispatchFetch(`http://localhost/?requests=${requests}`)).json()) as {
      calls: number;
      storeMs: number[];
      requestMs: number[];
    };
    const storeMs = [...run.storeMs].sort((a, b) => a - b);
    return {
      requests,
      workerd: (createRequire(import.meta.url)("workerd/package.json") as { version: string }).version,
      roundTrips: run.calls / requests,
      storeMedianMs: median(storeMs),
      storeP90Ms: storeMs[Math.floor(requests * 0.9)]!,
      requestMedianMs: median(run.requestMs),
      requestMeanMs: run.requestMs.reduce((sum, ms) => sum + ms, 0) / requests,
    };
  } finally {
    await mf.dispose();
  }
}

/** One line for the console. */
export function describeDurableObjectResult(r: DurableObjectResults): string {
  return `  DurableObjectStore (workerd ${r.workerd}, Miniflare): ${r.roundTrips.toFixed(2)} RPC calls per request, load + save median ${r.storeMedianMs.toFixed(2)} ms (p90 ${r.storeP90Ms.toFixed(2)} ms), whole request median ${r.requestMedianMs.toFixed(2)} ms, mean ${r.requestMeanMs.toFixed(2)} ms`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(describeDurableObjectResult(await measureDurableObjectStore(Number(process.env.REQUESTS ?? 400))));
}
