/**
 * RedisStore while a Redis Cluster master dies under traffic and its replica takes over, with
 * both cluster clients at once. Every request either succeeds or fails with ERR_SESSION_STORE
 * within the store's timeout (load and save: two calls); the store serves again within 20 s;
 * sessions on the masters that stayed up lose nothing. Writes acknowledged by the dying master
 * just before it died may be lost (Redis replicates asynchronously): counted and printed.
 */
import { Hono } from "hono";
import { Cluster } from "ioredis";
import { createCluster } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { SessionError } from "../../src/errors.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisClientLike } from "../../src/stores/redis.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { NODE_TIMEOUT, startRedisCluster } from "../support/redis-cluster.ts";

const cluster = await startRedisCluster();
const nodeRedis = await createCluster({ rootNodes: cluster.rootNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) }).connect();
const ioredis = new Cluster(cluster.rootNodes);
afterAll(async () => {
  nodeRedis.destroy();
  ioredis.disconnect();
  await cluster.stop();
});

const TIMEOUT = 1000;
const SESSIONS = 60;
const WORKERS = 6;
const PREFIX = "test:failover:";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function counter(store: RedisStore) {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/incr", async (c) => {
    getSession(c).set("count", ((getSession(c).get("count") as number | undefined) ?? 0) + 1);
    await getSession(c).save();
    return c.json(getSession(c).get("count"));
  });
  app.get("/count", (c) => c.json(getSession(c).get("count") ?? null));
  app.get("/id", (c) => c.json(getSession(c).id));
  app.onError((error, c) => c.json({ code: error instanceof SessionError ? error.code : `other: ${String(error)}` }, 500));
  return app;
}

interface Tally {
  ok: number;
  storeErrors: number;
  other: string[];
  slowest: number;
  lastFailure: number;
}

/** One client's sessions, each with the count its last acknowledged save returned. */
async function seed(label: string, client: RedisClientLike) {
  const app = counter(new RedisStore({ client, secrets: SECRET, prefix: `${PREFIX}${label}:`, timeout: TIMEOUT }));
  const subjects = await Promise.all(
    Array.from({ length: SESSIONS }, async () => {
      const browser = new TestBrowser((request) => app.fetch(request));
      const acked = (await browser.json("/incr", { method: "POST" })) as number;
      return { browser, acked, key: "" };
    }),
  );
  for (const subject of subjects) subject.key = `${PREFIX}${label}:${await subject.browser.json("/id")}`;
  return { app, subjects };
}

/** Workers that increment their sessions' counters one request at a time until `stop()`. */
function traffic(subjects: Awaited<ReturnType<typeof seed>>["subjects"]) {
  const tally: Tally = { ok: 0, storeErrors: 0, other: [], slowest: 0, lastFailure: 0 };
  let running = true;
  const workers = Array.from({ length: WORKERS }, async (_, w) => {
    for (let round = 0; running; round++) {
      for (let i = w; i < subjects.length && running; i += WORKERS) {
        const subject = subjects[i]!;
        const started = Date.now();
        const response = await subject.browser.fetch("/incr", { method: "POST" });
        const body = await response.json();
        tally.slowest = Math.max(tally.slowest, Date.now() - started);
        if (response.status === 200) {
          tally.ok++;
          subject.acked = body as number;
        } else {
          tally.lastFailure = Date.now();
          if ((body as { code: string }).code === "ERR_SESSION_STORE") tally.storeErrors++;
          else tally.other.push((body as { code: string }).code);
        }
      }
      await sleep(5);
    }
  });
  return { tally, stop: async () => ((running = false), await Promise.all(workers)) };
}

describe("RedisStore when a Redis Cluster master fails over", () => {
  it("fails only with ERR_SESSION_STORE within the timeout, serves again within 20 s, loses nothing on the surviving masters", { timeout: 90_000 }, async () => {
    const runs = [
      { label: "node-redis", ...(await seed("node-redis", nodeRedis)) },
      { label: "ioredis", ...(await seed("ioredis", ioredis)) },
    ];
    // Where each session lives, and the master to kill: the one holding the most of them.
    const masters = new Map(cluster.masters().map((port) => [port, cluster.cli(port, "CLUSTER", "MYID").trim()]));
    const ownerOf = new Map<string, number>();
    for (const run of runs) {
      for (const { key } of run.subjects) {
        const slot = Number(await ioredis.call("CLUSTER", "KEYSLOT", key));
        const port = (ioredis.slots[slot] ?? [])[0]?.split(":")[1];
        ownerOf.set(key, Number(port));
      }
    }
    const counts = [...masters.keys()].map((port) => [port, [...ownerOf.values()].filter((p) => p === port).length] as const);
    const [victim] = counts.sort((a, b) => b[1] - a[1])[0]!;
    const onVictim = (key: string) => ownerOf.get(key) === victim;

    const flows = runs.map((run) => ({ run, flow: traffic(run.subjects) }));
    await sleep(1000);
    const killedAt = Date.now();
    cluster.nodes.find(({ port }) => port === victim)!.process.kill("SIGKILL");
    // Run until three quiet seconds have passed since the last failure (at most 30 s).
    await sleep(NODE_TIMEOUT * 2);
    while (Date.now() - killedAt < 30_000) {
      const lastFailure = Math.max(...flows.map(({ flow }) => flow.tally.lastFailure));
      if (Date.now() - Math.max(lastFailure, killedAt) > 3_000) break;
      await sleep(250);
    }
    for (const { flow } of flows) await flow.stop();

    for (const { run, flow } of flows) {
      const { tally } = flow;
      let lostOnVictim = 0;
      let lostElsewhere = 0;
      for (const subject of run.subjects) {
        const stored = await subject.browser.json("/count");
        if (stored === null || stored < subject.acked) onVictim(subject.key) ? lostOnVictim++ : lostElsewhere++;
      }
      const recovered = tally.lastFailure ? tally.lastFailure - killedAt : 0;
      console.log(
        `[failover ${run.label}] ${tally.ok} ok, ${tally.storeErrors} ERR_SESSION_STORE, ${tally.other.length} other errors, ` +
          `slowest request ${tally.slowest} ms (timeout ${TIMEOUT} ms per call), last failure ${recovered} ms after the kill, ` +
          `sessions whose acknowledged count was lost: ${lostOnVictim} of ${run.subjects.filter(({ key }) => onVictim(key)).length} on the dead master, ` +
          `${lostElsewhere} elsewhere`,
      );
      expect(tally.other).toEqual([]);
      // Two commands, each bounded by the timeout, and a margin for a machine under load.
      expect(tally.slowest).toBeLessThan(2 * TIMEOUT + 2000);
      expect(recovered).toBeLessThan(20_000);
      expect(lostElsewhere).toBe(0);
      // The seeding spread each client's sessions over the masters: the dead one held some.
      expect(run.subjects.some(({ key }) => onVictim(key))).toBe(true);
      // The store serves every session again, those of the dead master included.
      expect(tally.ok).toBeGreaterThan(0);
    }
  });
});
