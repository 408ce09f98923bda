/**
 * A Sentinel failover under traffic: users keep writing through RedisStore (node-redis
 * `createSentinel` and ioredis with `sentinels`, side by side on one group) while the master is
 * SIGKILLed and a sentinel promotes the replica. Every request either succeeds or fails with
 * `ERR_SESSION_STORE` within the store's timeout, the store serves again within 20 s without a
 * restart, and the writes acknowledged before the crash that the promoted replica never got are
 * counted (replication is asynchronous): the figures are printed for the docs.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { expect, it } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { SessionError } from "../../src/errors.ts";
import type { Store } from "../../src/store.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisClientLike } from "../../src/stores/redis.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { sentinelClients } from "../support/redis-sentinel.ts";

/** The store's `timeout`: how long one load or save may take before it rejects. */
const TIMEOUT = 1_000;
const USERS = 3;
const RECOVERY_LIMIT = 20_000;
/** Traffic before the kill, and steady traffic required after the first success past it. */
const BEFORE_KILL = 1_000;
const AFTER_RECOVERY = 1_500;

const { group, nodeRedis, ioredis } = await sentinelClients();

type Outcome = "ok" | "ERR_SESSION_STORE" | string;

interface Op {
  ms: number;
  outcome: Outcome;
}

interface Request {
  startedAt: number;
  ms: number;
  outcome: Outcome;
}

/** The store with every load and save timed, and how each ended. */
function timed(store: RedisStore, ops: Op[]): Store {
  const timedCall = <T>(call: () => Promise<T>) => {
    const startedAt = performance.now();
    const done = (outcome: Outcome) => ops.push({ ms: performance.now() - startedAt, outcome });
    return call().then(
      (value) => (done("ok"), value),
      (error: unknown) => {
        done(error instanceof SessionError ? error.code : `other: ${String(error)}`);
        throw error;
      },
    );
  };
  return {
    cookie: store.cookie,
    isWellFormed: (value) => store.isWellFormed(value),
    load: (name, value) => timedCall(() => store.load(name, value)),
    save: (name, write) => timedCall(() => store.save(name, write)),
    destroy: (name, id) => timedCall(() => store.destroy(name, id)),
  };
}

/** Each request writes one new key, `w<n>`, and answers the cookie that now holds it. */
function writerApp(store: Store): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/write/:key", async (c) => {
    getSession(c).set(c.req.param("key"), true);
    await getSession(c).save();
    return c.text("ok");
  });
  app.onError((error, c) =>
    error instanceof SessionError ? c.json({ outcome: error.code }, 503) : c.json({ outcome: `other: ${error.name}: ${error.message}` }, 500),
  );
  return app;
}

interface Subject {
  label: string;
  store: RedisStore;
  ops: Op[];
  requests: Request[];
  /** Every acknowledged write: the cookie value that answered it and its key. */
  acked: Array<{ cookie: string; key: string }>;
  /** Keys whose request failed (the write may still have landed). */
  failed: Set<string>;
}

function subject(label: string, client: RedisClientLike): Subject {
  const store = new RedisStore({ client, secrets: SECRET, prefix: `test:failover:${randomBytes(6).toString("hex")}:`, timeout: TIMEOUT });
  return { label, store, ops: [], requests: [], acked: [], failed: new Set() };
}

/** One user: writes back to back until `stop`, each request bounded so a hang shows as one. */
async function user(s: Subject, app: Hono, name: string, stop: () => boolean): Promise<void> {
  const b = new TestBrowser((request) => app.fetch(request));
  for (let n = 0; !stop(); n++) {
    const key = `${name}-${n}`;
    const startedAt = Date.now();
    const hang = new Promise<"hang">((resolve) => setTimeout(resolve, 2 * TIMEOUT + 2_000, "hang"));
    const response = await Promise.race([b.fetch(`/write/${key}`, { method: "POST" }), hang]);
    const outcome = response === "hang" ? "hang" : response.status === 200 ? "ok" : (await response.json()).outcome;
    s.requests.push({ startedAt, ms: Date.now() - startedAt, outcome });
    if (outcome === "ok") s.acked.push({ cookie: b.cookies.get("session")!, key });
    else s.failed.add(key);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * How late timers fire in this process (the machine is shared and busy): a store timeout cannot
 * be observed more precisely than that.
 */
function timerLag() {
  let max = 0;
  let expected = Date.now() + 50;
  const interval = setInterval(() => {
    max = Math.max(max, Date.now() - expected);
    expected = Date.now() + 50;
  }, 50);
  return { max: () => max, stop: () => clearInterval(interval) };
}

/** The first request started after `since` that succeeded. */
function recoveredAt(s: Subject, since: number): number | undefined {
  const first = s.requests.find((request) => request.startedAt > since && request.outcome === "ok");
  return first?.startedAt;
}

it("serves again after the master is killed: every request succeeds or fails with ERR_SESSION_STORE within the timeout", async () => {
  const subjects = [subject("node-redis createSentinel", nodeRedis), subject("ioredis sentinels", ioredis)];
  const oldMaster = await group.masterPort();
  let killedAt = Infinity;
  const settled = () =>
    subjects.every((s) => {
      const at = recoveredAt(s, killedAt);
      return at !== undefined && Date.now() - at > AFTER_RECOVERY;
    });
  const stop = () => Date.now() - killedAt > RECOVERY_LIMIT + AFTER_RECOVERY || settled();
  const lag = timerLag();
  const traffic = subjects.flatMap((s) => {
    const app = writerApp(timed(s.store, s.ops));
    return Array.from({ length: USERS }, (_, i) => user(s, app, `u${i}`, stop));
  });
  await new Promise((resolve) => setTimeout(resolve, BEFORE_KILL));
  await group.kill(oldMaster);
  killedAt = Date.now();
  await Promise.all(traffic).finally(lag.stop);
  const newMaster = await group.masterPort();

  const figures = [];
  for (const s of subjects) {
    const stored = new Map<string, Set<string>>();
    for (const { cookie } of s.acked) {
      if (stored.has(cookie)) continue;
      const session = await s.store.load("session", cookie);
      stored.set(cookie, new Set(session?.data.keys()));
    }
    const lost = s.acked.filter(({ cookie, key }) => !stored.get(cookie)!.has(key));
    const landedAnyway = [...stored.values()].reduce((sum, keys) => sum + [...keys].filter((key) => s.failed.has(key)).length, 0);
    const count = (outcome: Outcome) => s.requests.filter((request) => request.outcome === outcome).length;
    const failedOps = s.ops.filter((op) => op.outcome !== "ok");
    const at = recoveredAt(s, killedAt);
    figures.push({
      client: s.label,
      requests: s.requests.length,
      beforeKill: s.requests.filter((request) => request.startedAt < killedAt).length,
      medianOkMs: median(s.requests.filter((request) => request.outcome === "ok").map((request) => request.ms)),
      succeeded: count("ok"),
      errSessionStore: count("ERR_SESSION_STORE"),
      otherErrors: s.requests.filter((request) => !["ok", "ERR_SESSION_STORE"].includes(request.outcome)).map((request) => request.outcome),
      slowestFailedOpMs: Math.round(Math.max(0, ...failedOps.map((op) => op.ms))),
      recoveryMs: at === undefined ? undefined : at - killedAt,
      ackedWrites: s.acked.length,
      ackedWritesLost: lost.length,
      failedWritesThatLanded: landedAnyway,
    });
  }
  console.log(
    `Sentinel failover (master ${oldMaster} killed, ${newMaster} promoted), store timeout ${TIMEOUT} ms, timers up to ${lag.max()} ms late:\n` +
      JSON.stringify(figures, null, 2),
  );

  expect(newMaster).not.toBe(oldMaster);
  for (const [i, s] of subjects.entries()) {
    const figure = figures[i]!;
    expect(figure.otherErrors, s.label).toEqual([]);
    // The failover happened under traffic: some requests failed, and some succeeded on each side of it.
    expect(figure.errSessionStore, s.label).toBeGreaterThan(0);
    expect(s.requests.filter((request) => request.startedAt < killedAt && request.outcome === "ok").length, s.label).toBeGreaterThan(0);
    // Each load or save that failed did so within the timeout, give or take how late timers ran.
    expect(figure.slowestFailedOpMs, s.label).toBeLessThanOrEqual(TIMEOUT + lag.max() + 250);
    expect(figure.recoveryMs, s.label).toBeLessThanOrEqual(RECOVERY_LIMIT);
    // Once back, it stays back: every request started after the recovery succeeded.
    const after = s.requests.filter((request) => request.startedAt >= killedAt + figure.recoveryMs!);
    expect(after.length, s.label).toBeGreaterThan(USERS);
    expect(after.filter((request) => request.outcome !== "ok"), s.label).toEqual([]);
    // Writes the promoted replica got are all there: nothing but the replication lag is lost.
    expect(figure.ackedWritesLost, s.label).toBeLessThan(figure.ackedWrites);
  }
}, 60_000);

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}
