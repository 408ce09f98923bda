/**
 * The Redis stores over loopback: UpstashRedisStore through the Upstash-compatible test endpoint
 * (HTTP, in this process, in front of the Redis on 127.0.0.1) and RedisStore over TCP through
 * node-redis and ioredis, against the same Redis. Requests alternate between the stores, so each
 * sees the same machine load. Run alone: `npx tsx bench/redis-stores.ts`.
 */

import { fileURLToPath } from "node:url";
import { Redis as IoRedis } from "ioredis";
import { createClient } from "redis";
import { newSessionId } from "../src/codec.ts";
import type { SessionWrite, Store, StoredSession } from "../src/index.ts";
import { RedisStore } from "../src/stores/redis.ts";
import { UpstashRedisStore } from "../src/stores/upstash.ts";
import { startUpstashEndpoint } from "../test/support/upstash-endpoint.ts";
import { SECRET } from "./fixture.ts";
import { Client, median } from "./harness.ts";
import { webSessionsApp } from "./variants.ts";

export interface RedisResults {
  label: string;
  transport: "HTTP" | "TCP";
  requests: number;
  /** Round trips to Redis (HTTP requests, or TCP commands) per app request. */
  roundTrips: number;
  /** Redis commands per app request. */
  commands: number;
  /** Milliseconds spent in store.load + store.save per request. */
  storeMedianMs: number;
  storeP90Ms: number;
  /** Milliseconds for the whole app.request(). */
  requestMedianMs: number;
}

/** Wraps a store to time its load and save calls. */
export class TimedStore implements Store {
  spent = 0;

  constructor(private readonly inner: Store) {}

  get cookie() {
    return this.inner.cookie;
  }

  async load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    const start = performance.now();
    try {
      return await this.inner.load(name, cookieValue);
    } finally {
      this.spent += performance.now() - start;
    }
  }

  async save(name: string, write: SessionWrite): Promise<string | undefined> {
    const start = performance.now();
    try {
      return await this.inner.save(name, write);
    } finally {
      this.spent += performance.now() - start;
    }
  }

  destroy(name: string, id: string): Promise<void> {
    return this.inner.destroy(name, id);
  }
}

interface Subject {
  label: string;
  transport: "HTTP" | "TCP";
  store: TimedStore;
  client: Client;
  /** Round trips and commands so far. */
  counts(): { roundTrips: number; commands: number };
  storeMs: number[];
  requestMs: number[];
}

/**
 * Measures each Redis store for `requests` requests of the bench's login-profile handler. Returns
 * undefined, with the reason logged, when no Redis can be found.
 */
export async function measureRedisStores(requests: number, log: (line: string) => void): Promise<RedisResults[] | undefined> {
  let endpoint: Awaited<ReturnType<typeof startUpstashEndpoint>>;
  try {
    endpoint = await startUpstashEndpoint();
  } catch (error) {
    log(`  Redis stores skipped: ${(error as Error).message}`);
    return undefined;
  }
  const url = "redis://127.0.0.1:6379";
  const nodeRedis = await createClient({ url }).connect();
  const ioredis = new IoRedis(url);
  const prefix = `bench:${newSessionId()}:`;
  let tcpCommands = 0;
  const subject = (label: string, transport: "HTTP" | "TCP", inner: Store, counts: () => { roundTrips: number; commands: number }): Subject => {
    const store = new TimedStore(inner);
    return { label, transport, store, client: new Client(label, webSessionsApp(store)), counts, storeMs: [], requestMs: [] };
  };
  try {
    const subjects = [
      subject("UpstashRedisStore", "HTTP", new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets: SECRET, prefix }), () => ({
        roundTrips: endpoint.requests,
        commands: endpoint.commands.length,
      })),
      // Each command of a TCP client is one round trip: the handler awaits each before the next.
      subject("RedisStore (node-redis)", "TCP", new RedisStore({ client: { sendCommand: (args: string[]) => (tcpCommands++, nodeRedis.sendCommand(args)) }, secrets: SECRET, prefix }), () => ({ roundTrips: tcpCommands, commands: tcpCommands })),
      subject("RedisStore (ioredis)", "TCP", new RedisStore({ client: { call: (name: string, ...args: string[]) => (tcpCommands++, ioredis.call(name, ...args)) }, secrets: SECRET, prefix }), () => ({ roundTrips: tcpCommands, commands: tcpCommands })),
    ];
    for (const each of subjects) for (let i = 0; i < 50; i++) await each.client.hit();
    const totals = subjects.map(() => ({ roundTrips: 0, commands: 0 }));
    for (let i = 0; i < requests; i++) {
      for (const [n, each] of subjects.entries()) {
        endpoint.resetCounts();
        tcpCommands = 0;
        each.store.spent = 0;
        const start = performance.now();
        await each.client.hit();
        each.requestMs.push(performance.now() - start);
        each.storeMs.push(each.store.spent);
        const { roundTrips, commands } = each.counts();
        totals[n]!.roundTrips += roundTrips;
        totals[n]!.commands += commands;
      }
    }
    return subjects.map((each, n) => {
      each.storeMs.sort((a, b) => a - b);
      return {
        label: each.label,
        transport: each.transport,
        requests,
        roundTrips: totals[n]!.roundTrips / requests,
        commands: totals[n]!.commands / requests,
        storeMedianMs: median(each.storeMs),
        storeP90Ms: each.storeMs[Math.floor(requests * 0.9)]!,
        requestMedianMs: median(each.requestMs),
      };
    });
  } finally {
    const keys = await endpoint.redis.keys(`${prefix}*`);
    if (keys.length) await endpoint.redis.del(...keys);
    await endpoint.close();
    nodeRedis.destroy();
    ioredis.disconnect();
  }
}

/** One line per store, as `npm run bench` logs them. */
export function describeRedisResult(result: RedisResults): string {
  return `  ${result.label} (${result.transport}): ${result.roundTrips.toFixed(2)} round trips per request, load + save median ${result.storeMedianMs.toFixed(2)} ms, p90 ${result.storeP90Ms.toFixed(2)} ms`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await measureRedisStores(Number(process.env.REQUESTS ?? 400), console.log);
  for (const result of results ?? []) console.log(describeRedisResult(result));
}
