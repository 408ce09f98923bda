/**
 * What Redis's asynchronous replication means for sessions behind Sentinel, shown on a real group:
 * a save the master acknowledged while its replica lagged is gone after a failover, and a client
 * that sends `WAIT 1 <ms>` after each script the store runs (the recipe in
 * docs/stores/redis-sentinel.md) refuses to acknowledge such a save, as a master with
 * `min-replicas-to-write 1` does once its replica is gone. Also prints what that `WAIT` costs per save.
 */
import { randomBytes } from "node:crypto";
import type { Redis as IoRedis } from "ioredis";
import { describe, expect, it } from "vitest";
import { SessionError } from "../../src/errors.ts";
import type { SessionWrite } from "../../src/store.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisClientLike } from "../../src/stores/redis.ts";
import { SECRET } from "../support/browser.ts";
import { sentinelClients } from "../support/redis-sentinel.ts";

const TIMEOUT = 1_000;
/** How long `WAIT` waits for the replica: well inside the store's timeout. */
const WAIT_MS = 300;

const { group, nodeRedis, ioredis } = await sentinelClients();

/** The docs' recipe for ioredis: a save counts only once one replica has it too. */
function ioredisWithReplicaAck(redis: IoRedis): RedisClientLike {
  return {
    async call(command: string, ...args: string[]) {
      const reply = await redis.call(command, ...args);
      if (command === "EVALSHA" || command === "EVAL") {
        const replicas = await redis.call("WAIT", "1", String(WAIT_MS));
        if (Number(replicas) < 1) throw new Error(`the write reached no replica within ${WAIT_MS} ms`);
      }
      return reply;
    },
  };
}

/** The same for node-redis: WAIT must ride the write's connection, which `masterPoolSize: 1` (the default) ensures. */
function nodeRedisWithReplicaAck(sentinel: typeof nodeRedis): RedisClientLike {
  return {
    async sendCommand(args: string[]) {
      const reply = await sentinel.sendCommand(false, args);
      if (args[0] === "EVALSHA" || args[0] === "EVAL") {
        const replicas = await sentinel.sendCommand(false, ["WAIT", "1", String(WAIT_MS)]);
        if (Number(replicas) < 1) throw new Error(`the write reached no replica within ${WAIT_MS} ms`);
      }
      return reply;
    },
  };
}

const prefix = `test:acked:${randomBytes(6).toString("hex")}:`;
const store = (client: RedisClientLike) => new RedisStore({ client, secrets: SECRET, prefix, timeout: TIMEOUT });
const stores = {
  "node-redis": { plain: store(nodeRedis), waited: store(nodeRedisWithReplicaAck(nodeRedis)) },
  ioredis: { plain: store(ioredis), waited: store(ioredisWithReplicaAck(ioredis)) },
};

/** A save that sets `key`, as the jar hands it to the store. */
function write(id: string, key: string, mustExist = false): SessionWrite {
  const now = Date.now();
  return {
    id,
    previousId: undefined,
    data: new Map([[key, true]]),
    changed: new Set([key]),
    deleted: new Set(),
    cleared: false,
    mustExist,
    createdAt: now,
    expiresAt: now + 600_000,
    flashes: new Map(),
    flashIds: new Map(),
  };
}

const newId = () => randomBytes(16).toString("base64url");

function percentile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100;
}

describe("Acknowledged writes and replication behind Sentinel", () => {
  it("acknowledges every WAIT-ed save while the replica is in sync, and measures what WAIT adds", async () => {
    const figures: Record<string, { medianMs: number; p90Ms: number }> = {};
    for (const [client, { plain, waited }] of Object.entries(stores)) {
      for (const [variant, subject] of Object.entries({ plain, "WAIT 1": waited })) {
        const times: number[] = [];
        for (let i = 0; i < 200; i++) {
          const startedAt = performance.now();
          // A WAIT-ed save that no replica acknowledged would reject here.
          expect(await subject.save("session", write(newId(), "k"))).toEqual(expect.any(String));
          times.push(performance.now() - startedAt);
        }
        times.sort((a, b) => a - b);
        figures[`${client}, ${variant}`] = { medianMs: percentile(times, 0.5), p90Ms: percentile(times, 0.9) };
      }
    }
    console.log(`One save (EVALSHA), 200 in a row per row:\n${JSON.stringify(figures, null, 2)}`);
  });

  it("with min-replicas-to-write 1, a master that lost its replica refuses saves with ERR_SESSION_STORE until it is back", async () => {
    const master = await group.masterPort();
    const replicaPort = group.dataPorts.find((port) => port !== master)!;
    const { plain } = stores.ioredis;
    expect(await group.command(master, "CONFIG", "SET", "min-replicas-to-write", "1", "min-replicas-max-lag", "10")).toMatch(/^\+OK/);
    try {
      group.signal(replicaPort, "SIGSTOP");
      try {
        expect(await group.command(master, "CLIENT", "KILL", "TYPE", "replica")).toMatch(/^:1\r\n/);
        const refused = await plain.save("session", write(newId(), "k")).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(SessionError);
        expect((refused as SessionError).code).toBe("ERR_SESSION_STORE");
        expect(((refused as SessionError).cause as Error).message).toMatch(/NOREPLICAS/);
      } finally {
        group.signal(replicaPort, "SIGCONT");
      }
      // The replica reconnects by itself (within a second or two); saves go through again.
      const deadline = Date.now() + 15_000;
      while (!(await plain.save("session", write(newId(), "k")).catch(() => undefined))) {
        expect(Date.now(), "saves did not resume within 15 s of the replica's return").toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await group.command(master, "CONFIG", "SET", "min-replicas-to-write", "0");
    }
  });

  it("loses a save the master acknowledged while its replica lagged; with WAIT that save is refused instead", async () => {
    const master = await group.masterPort();
    const replicaPort = group.dataPorts.find((port) => port !== master)!;
    const sessions = Object.fromEntries(Object.keys(stores).map((client) => [client, newId()]));
    const cookies: Record<string, string> = {};
    for (const [client, { plain }] of Object.entries(stores)) cookies[client] = (await plain.save("session", write(sessions[client]!, "before")))!;

    // The replica stalls and its link drops (the master closes it: what it sent before is still
    // in the replica's socket buffer, what comes after is not). The master goes on acknowledging
    // writes that it alone has.
    group.signal(replicaPort, "SIGSTOP");
    try {
      expect(await group.command(master, "CLIENT", "KILL", "TYPE", "replica")).toMatch(/^:1\r\n/);
      for (const [client, { plain, waited }] of Object.entries(stores)) {
        await plain.save("session", write(sessions[client]!, "acknowledged", true));
        const startedAt = Date.now();
        const refused = await waited.save("session", write(sessions[client]!, "refused", true)).catch((error: unknown) => error);
        expect(refused, client).toBeInstanceOf(SessionError);
        expect((refused as SessionError).code, client).toBe("ERR_SESSION_STORE");
        expect(Date.now() - startedAt, client).toBeLessThan(TIMEOUT + 500);
      }
      // The master dies before the replica caught up; the replica comes back and is promoted.
      await group.kill(master);
    } finally {
      group.signal(replicaPort, "SIGCONT");
    }
    const deadline = Date.now() + 30_000;
    while ((await group.masterPort().catch(() => master)) !== replicaPort) {
      expect(Date.now(), "the sentinels did not promote the replica within 30 s").toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const lost: Record<string, string[]> = {};
    for (const [client, { plain }] of Object.entries(stores)) {
      let session;
      while (!(session = await plain.load("session", cookies[client]!).catch(() => undefined))) {
        expect(Date.now(), `${client} did not reach the promoted replica within 30 s`).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const keys = [...session.data.keys()];
      // What the replica had survives; the write only the dead master had is gone.
      expect(keys, client).toContain("before");
      expect(keys, client).not.toContain("acknowledged");
      lost[client] = ["acknowledged"].filter((key) => !keys.includes(key));
    }
    console.log(`Acknowledged while the replica lagged, then lost in the failover: ${JSON.stringify(lost)}`);
  }, 60_000);
});
