/**
 * Heap per entry of the opened-value cache, for the 10-field profile, measured after a GC (the
 * benchmark runs with --expose-gc): one store seals `entries` sessions (each value it seals is
 * held), another opens `entries` values it never saw, each arriving in a request's Cookie header
 * twice (the second read keeps the parsed session with the entry).
 */

import { CookieStore } from "../src/index.ts";
import type { SessionWrite } from "../src/index.ts";
import { newSessionId } from "../src/codec.ts";
import { LOGIN, SECRET } from "./fixture.ts";
import { webSessionsReadApp } from "./read-variants.ts";

export interface CacheMemory {
  entries: number;
  /** Heap bytes per value the store sealed. */
  sealedBytes: number;
  /** Heap bytes per value the store opened from a request. */
  openedBytes: number;
}

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc (npm run bench does)");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function write(): SessionWrite {
  const data = new Map<string, unknown>(Object.entries({ ...LOGIN, count: 1 }));
  const t = Date.now();
  const empty = new Map();
  return { id: newSessionId(), previousId: undefined, data, changed: new Set(data.keys()), deleted: new Set(), cleared: false, createdAt: t, expiresAt: t + 3_600_000, flashes: empty, flashIds: empty };
}

/**
 * The heap a full store frees when it is dropped, per entry: what only its cache keeps alive
 * (its keys and the rest of the store are a few hundred bytes in all). Median of three tries.
 */
async function freedPerEntry(entries: number, fill: (store: CookieStore) => Promise<void>): Promise<number> {
  const tries: number[] = [];
  for (let i = 0; i < 3; i++) {
    let store: CookieStore | undefined = new CookieStore({ secrets: SECRET, cache: entries });
    await fill(store);
    const full = heap();
    store = undefined;
    tries.push((full - heap()) / entries);
  }
  return tries.sort((a, b) => a - b)[1]!;
}

export async function measureCacheMemory(entries = 1000): Promise<CacheMemory> {
  // Sealed here: each value the store seals is held.
  const sealedBytes = await freedPerEntry(entries, async (store) => {
    for (let i = 0; i < entries; i++) await store.save("session", write());
  });
  // Opened from requests: values sealed by a store without a cache, read through the middleware,
  // twice each, so each entry also keeps its parsed session (as a value read again and again does).
  const source = new CookieStore({ secrets: SECRET, cache: 0 });
  const values: string[] = [];
  for (let i = 0; i < entries; i++) values.push(await source.save("session", write()));
  const openedBytes = await freedPerEntry(entries, async (store) => {
    const app = webSessionsReadApp(store);
    for (let read = 0; read < 2; read++) {
      for (const value of values) await (await app.request("/", { headers: { Cookie: `session=${value}` } })).text();
    }
  });
  return { entries, sealedBytes, openedBytes };
}
