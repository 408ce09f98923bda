/**
 * DenoKvStore per request: KV operations and time spent in them, for the bench's login-profile
 * handler (read ten fields, add one to a counter, save), one client, request after request, on a
 * SQLite-backed database in a temporary folder (what `Deno.openKv(path)` and @deno/kv's
 * `openKv(path)` use locally; Deno Deploy's KV is another backend, over the network).
 *   npx deno run -A --unstable-kv bench/deno-kv-store.ts   (Deno.openKv)
 *   npx tsx bench/deno-kv-store.ts                          (openKv from @deno/kv, on Node)
 */

import { openKv } from "@deno/kv";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DenoKv, DenoKvAtomic } from "../src/stores/deno-kv.ts";
import { DenoKvStore } from "../src/stores/deno-kv.ts";
import { SECRET } from "./fixture.ts";
import { Client, median } from "./harness.ts";
import { webSessionsApp } from "./variants.ts";

declare const Deno: { openKv(path: string): Promise<DenoKv & { close(): void }>; version: { deno: string } } | undefined;

/** The database with each call counted and timed. */
function timed(kv: DenoKv) {
  const spent = { ms: 0, operations: 0 };
  const time = async <T>(run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      spent.ms += performance.now() - start;
      spent.operations++;
    }
  };
  const wrap = (operation: DenoKvAtomic): DenoKvAtomic => ({
    check: (...checks) => wrap(operation.check(...checks)),
    set: (key, value, options) => wrap(operation.set(key, value, options)),
    delete: (key) => wrap(operation.delete(key)),
    commit: () => time(() => operation.commit()),
  });
  const counted: DenoKv = {
    get: (key) => time(() => kv.get(key)),
    getMany: (keys) => time(() => kv.getMany(keys)),
    list: (selector) => kv.list(selector),
    atomic: () => wrap(kv.atomic()),
  };
  return { counted, spent };
}

export interface DenoKvResult {
  runtime: string;
  requests: number;
  /** KV operations (get, getMany, commit) per request. */
  operations: number;
  /** Milliseconds spent in KV calls per request, median and 90th percentile. */
  kvMedianMs: number;
  kvP90Ms: number;
  /** Milliseconds for the whole app.request(), median. */
  requestMedianMs: number;
}

/** Measures `requests` requests of the login-profile handler on a SQLite-backed database in a temporary folder. */
export async function measureDenoKvStore(requests: number): Promise<DenoKvResult> {
  const dir = mkdtempSync(join(tmpdir(), "deno-kv-bench-"));
  const runtime = typeof Deno === "undefined" ? `@deno/kv on Node ${process.version}` : `Deno.openKv on Deno ${Deno.version.deno}`;
  const kv = typeof Deno === "undefined" ? await openKv(join(dir, "kv.sqlite3")) : await Deno.openKv(join(dir, "kv.sqlite3"));
  try {
    const { counted, spent } = timed(kv);
    const client = new Client("DenoKvStore", webSessionsApp(new DenoKvStore({ kv: counted, secrets: SECRET, owner: "userId" })));
    for (let i = 0; i < 100; i++) await client.hit();
    const kvMs: number[] = [];
    const requestMs: number[] = [];
    let operations = 0;
    for (let i = 0; i < requests; i++) {
      spent.ms = 0;
      spent.operations = 0;
      const start = performance.now();
      await client.hit();
      requestMs.push(performance.now() - start);
      kvMs.push(spent.ms);
      operations += spent.operations;
    }
    kvMs.sort((a, b) => a - b);
    return { runtime, requests, operations: operations / requests, kvMedianMs: median(kvMs), kvP90Ms: kvMs[Math.floor(requests * 0.9)]!, requestMedianMs: median(requestMs) };
  } finally {
    kv.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line, as the script prints it. */
export function describeDenoKvResult(r: DenoKvResult): string {
  return (
    `DenoKvStore (${r.runtime}, SQLite file): ${r.operations.toFixed(2)} KV operations per request, ` +
    `time in KV median ${r.kvMedianMs.toFixed(3)} ms (p90 ${r.kvP90Ms.toFixed(3)} ms), whole request median ${r.requestMedianMs.toFixed(3)} ms (${r.requests} requests)`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(describeDenoKvResult(await measureDenoKvStore(Number(process.env.REQUESTS ?? 1000))));
}
