/**
 * RedisStore on a Redis Cluster against a single Redis, over loopback: round trips and the
 * median/p90 of one load + save (the common request: a signed-in session that changes one key),
 * each next to its floor, the same client sending the same commands without the store. Starts its
 * own 3-master, 3-replica cluster from the machine's redis-server (test/support/redis-cluster.ts)
 * and uses the single Redis the tests use. Subjects alternate, so each sees the same machine load.
 * Run alone: `npx tsx bench/redis-cluster.ts` (REQUESTS=2000 by default).
 */

import { Cluster, Redis as IoRedis } from "ioredis";
import { createClient, createCluster } from "redis";
import { newSessionId } from "../src/codec.ts";
import type { SessionWrite } from "../src/index.ts";
import { RedisStore } from "../src/stores/redis.ts";
import type { RedisClientLike } from "../src/stores/redis.ts";
import { ensureRedis } from "../test/support/redis.ts";
import { startRedisCluster } from "../test/support/redis-cluster.ts";
import { SECRET } from "./fixture.ts";
import { median } from "./harness.ts";

type Send = (args: string[]) => Promise<unknown>;

interface Subject {
  label: string;
  /** One load + save; the commands it sent. */
  run(): Promise<string[][]>;
  ms: number[];
  commands: number;
}

const requests = Number(process.env.REQUESTS ?? 2000);
const prefix = `bench:cluster:${newSessionId()}:`;

/** The store's subject over `client`, and the floor: `send` replaying the commands the store sent. */
async function pair(label: string, send: Send, wrap: (record: (args: string[]) => void) => RedisClientLike): Promise<Subject[]> {
  let sent: string[][] = [];
  const store = new RedisStore({ client: wrap((args) => sent.push(args)), secrets: SECRET, prefix, owner: "userId" });
  const id = newSessionId();
  const now = Date.now();
  const write = (n: number): SessionWrite => ({
    id,
    previousId: undefined,
    data: new Map<string, unknown>([["userId", "ada"], ["n", n]]),
    changed: new Set(n === 0 ? ["userId", "n"] : ["n"]),
    deleted: new Set(),
    cleared: false,
    createdAt: now,
    expiresAt: Date.now() + 3_600_000,
    flashes: new Map(),
    flashIds: new Map(),
    mustExist: n > 0,
  });
  const cookie = (await store.save("session", write(0)))!;
  let n = 0;
  const storeSubject: Subject = {
    label: `${label}, RedisStore`,
    ms: [],
    commands: 0,
    async run() {
      sent = [];
      const loaded = await store.load("session", cookie);
      if (!loaded) throw new Error("the session was not found");
      await store.save("session", write(++n));
      return sent;
    },
  };
  // The floor replays a load + save exactly as the store sent it.
  await storeSubject.run();
  const recorded = sent;
  const floor: Subject = {
    label: `${label}, the raw client (same commands)`,
    ms: [],
    commands: 0,
    async run() {
      for (const args of recorded) await send(args);
      return recorded;
    },
  };
  return [storeSubject, floor];
}

const { url } = await ensureRedis();
const cluster = await startRedisCluster();
const single = new IoRedis(url);
const singleNode = await createClient({ url }).connect();
const ioCluster = new Cluster(cluster.rootNodes);
const nodeCluster = await createCluster({ rootNodes: cluster.rootNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) }).connect();
const keyOf = (args: string[]) => (args[0] === "EVALSHA" || args[0] === "EVAL" ? args[3] : args[1]);
try {
  const subjects = [
    ...(await pair("single Redis, ioredis", ([name, ...args]) => single.call(name!, ...args), (record) => ({
      call: (name: string, ...args: string[]) => (record([name, ...args]), single.call(name, ...args)),
    }))),
    ...(await pair("single Redis, node-redis", (args) => singleNode.sendCommand(args), (record) => ({
      sendCommand: (args: string[]) => (record(args), singleNode.sendCommand(args)),
    }))),
    ...(await pair("Redis Cluster, ioredis Cluster", ([name, ...args]) => ioCluster.call(name!, ...args), (record) => ({
      isCluster: true,
      call: (name: string, ...args: string[]) => (record([name, ...args]), ioCluster.call(name, ...args)),
    }))),
    ...(await pair("Redis Cluster, node-redis createCluster", (args) => nodeCluster.sendCommand(keyOf(args), false, args), (record) => ({
      sendCommand: (key: string | undefined, readonly: boolean | undefined, args: string[]) => (record(args), nodeCluster.sendCommand(key, readonly, args)),
      getSlotMaster: (slot: number) => nodeCluster.getSlotMaster(slot),
    }))),
  ];
  for (const subject of subjects) for (let i = 0; i < 200; i++) await subject.run();
  for (let i = 0; i < requests; i++) {
    for (const subject of subjects) {
      const start = performance.now();
      subject.commands += (await subject.run()).length;
      subject.ms.push(performance.now() - start);
    }
  }
  console.log(`${requests} load + save per subject, ${new Date().toISOString()}`);
  console.log("| subject | round trips (load + save) | median ms | p90 ms |");
  console.log("|---|---|---|---|");
  for (const subject of subjects) {
    subject.ms.sort((a, b) => a - b);
    console.log(`| ${subject.label} | ${(subject.commands / requests).toFixed(2)} | ${median(subject.ms).toFixed(3)} | ${subject.ms[Math.floor(requests * 0.9)]!.toFixed(3)} |`);
  }
} finally {
  const keys = await single.keys(`${prefix}*`);
  if (keys.length) await single.del(...keys);
  single.disconnect();
  singleNode.destroy();
  ioCluster.disconnect();
  nodeCluster.destroy();
  await cluster.stop();
}
