/**
 * Server stores: the MemoryStore at scale (requests/s and heap as sessions pile up, bounded by
 * `maxEntries`), and its row of the per-request table beside the Redis stores (redis-stores.ts).
 */

import { newSessionId } from "../src/codec.ts";
import { MemoryStore } from "../src/index.ts";
import type { SessionWrite } from "../src/index.ts";
import { LOGIN, SECRET } from "./fixture.ts";
import { Client, interleave, median, pairedRatio } from "./harness.ts";
import { TimedStore } from "./redis-stores.ts";
import type { RedisResults } from "./redis-stores.ts";
import { webSessionsApp } from "./variants.ts";

export interface ScalePoint {
  /** Sessions held by the store when measured. */
  held: number;
  /** Sessions ever saved into it. */
  created: number;
  rps: number;
  /** Bare Hono's requests/s in the same rounds. */
  bareRps: number;
  vsBare: number;
  heapMB: number;
}

export interface MemoryResults {
  /** One store with maxEntries 1,000,000, measured as it fills. */
  growing: ScalePoint[];
  /** A store with maxEntries 100,000 after 1,000,000 sessions. */
  bounded: ScalePoint & { maxEntries: number };
  /** Heap bytes per session held, from the growing store's first and last points. */
  bytesPerSession: number;
}

const now = () => Date.now();

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Saves `count` new sessions holding the 10-field profile straight into the store, 500 at a time. */
async function fill(store: MemoryStore, count: number): Promise<void> {
  const data = new Map<string, unknown>(Object.entries({ ...LOGIN, count: 1 }));
  const changed = new Set(data.keys());
  const none = new Set<string>();
  const write = (): SessionWrite => {
    const t = now();
    const empty = new Map();
    return { id: newSessionId(), previousId: undefined, data, changed, deleted: none, cleared: false, createdAt: t, expiresAt: t + 3_600_000, flashes: empty, flashIds: empty };
  };
  for (let done = 0; done < count; ) {
    const batch = Math.min(500, count - done);
    await Promise.all(Array.from({ length: batch }, () => store.save("session", write())));
    done += batch;
  }
}

/** Measures a client against bare Hono, interleaved, after a warm-up. */
async function point(store: MemoryStore, client: Client, bare: Client, created: number, rounds: number, ms: number): Promise<ScalePoint> {
  for (let i = 0; i < 300; i++) await client.hit();
  const [bareRps, rps] = await interleave([bare, client], rounds, ms);
  return { held: store.size, created, rps: median(rps!), bareRps: median(bareRps!), vsBare: pairedRatio(rps!, bareRps!), heapMB: heapMB() };
}

/**
 * The MemoryStore measured holding 1 to 1,000,000 sessions (maxEntries 1,000,000), then a second
 * store with maxEntries 100,000 after 1,000,000 sessions. The measured client's own session is one
 * of those held and stays the most recently used.
 */
export async function measureMemoryStore(bare: Client, rounds: number, ms: number, log: (line: string) => void): Promise<MemoryResults> {
  const growing = await measureGrowing(bare, rounds, ms, log);
  const first = growing[0]!;
  const last = growing[growing.length - 1]!;
  const bytesPerSession = ((last.heapMB - first.heapMB) * 2 ** 20) / (last.held - first.held);

  // The growing store is out of scope here, so the heap below holds only the bounded one.
  const maxEntries = 100_000;
  const total = 1_000_000;
  const bounded = new MemoryStore({ secrets: SECRET, maxEntries });
  await fill(bounded, total);
  const measured = await point(bounded, new Client("MemoryStore (bounded)", webSessionsApp(bounded)), bare, total + 1, rounds, ms);
  log(
    `  MemoryStore, maxEntries ${maxEntries.toLocaleString("en-US")}, after ${total.toLocaleString("en-US")} sessions: holds ${measured.held.toLocaleString("en-US")}, ${Math.round(measured.rps)} req/s, heap ${measured.heapMB.toFixed(0)} MB`,
  );
  return { growing, bounded: { ...measured, maxEntries }, bytesPerSession };
}

async function measureGrowing(bare: Client, rounds: number, ms: number, log: (line: string) => void): Promise<ScalePoint[]> {
  const growing: ScalePoint[] = [];
  const store = new MemoryStore({ secrets: SECRET, maxEntries: 1_000_000 });
  const client = new Client("MemoryStore", webSessionsApp(store));
  let filled = 0;
  for (const held of [1, 10_000, 100_000, 1_000_000]) {
    await fill(store, held - 1 - filled);
    filled = held - 1;
    const measured = await point(store, client, bare, held, rounds, ms);
    growing.push(measured);
    log(`  MemoryStore holding ${measured.held.toLocaleString("en-US")}: ${Math.round(measured.rps)} req/s, ${measured.vsBare.toFixed(2)}× bare, heap ${measured.heapMB.toFixed(0)} MB`);
  }
  return growing;
}

/** A row of the per-request table: a Redis store's, or the MemoryStore's (in process). */
export type StoreLatency = Omit<RedisResults, "transport" | "commands"> & { transport: string; commands: number | undefined };

/** The MemoryStore per request, measured as the Redis stores are: no backend, so no round trips. */
export async function measureMemoryLatency(requests: number): Promise<StoreLatency> {
  const store = new TimedStore(new MemoryStore({ secrets: SECRET }));
  const client = new Client("MemoryStore", webSessionsApp(store));
  for (let i = 0; i < 50; i++) await client.hit();
  const storeMs: number[] = [];
  const requestMs: number[] = [];
  for (let i = 0; i < requests; i++) {
    store.spent = 0;
    const start = performance.now();
    await client.hit();
    requestMs.push(performance.now() - start);
    storeMs.push(store.spent);
  }
  storeMs.sort((a, b) => a - b);
  return {
    label: "MemoryStore",
    transport: "in process",
    requests,
    roundTrips: 0,
    commands: undefined,
    storeMedianMs: median(storeMs),
    storeP90Ms: storeMs[Math.floor(requests * 0.9)]!,
    requestMedianMs: median(requestMs),
  };
}
