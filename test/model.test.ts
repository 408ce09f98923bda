// Model-based test of whole session lifecycles (fast-check commands), for every store: random
// requests of set, delete, clear, addFlash, flashes, regenerate, destroy, options({ maxAge: 0 })
// and save, checked against the plain model in support/session-model.ts; for server stores also
// pairs of concurrent requests on one session, and every retired id opening nothing.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import { getSession, sessions } from "../adapters/hono.ts";
import type { Store } from "../src/store.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import { RedisStore } from "../src/stores/redis.ts";
import { UpstashRedisStore } from "../src/stores/upstash.ts";
import { DenoKvStore } from "../src/stores/deno-kv.ts";
import { startBackends } from "./support/backends.ts";
import { generatedRuns } from "./support/mutation.ts";
import { SECRET } from "./support/browser.ts";
import { applyDelta, runRequest, view } from "./support/session-model.ts";
import type { Json, ModelData, Op, RequestOutcome } from "./support/session-model.ts";

const SEED = 0x5e55;
// "a" and "b" hold plain values, "_flash" flashes, "c" either in turn: so a concurrent pair, which
// keeps to the first three, never meets a key turned from plain to flashes (how a store merges
// that is not specified).
const KEYS = ["a", "b", "c", "_flash"];

const { endpoint, ioredis, kv, close } = await startBackends("model");
afterAll(close);

/** A request held after its session loaded, until the test lets it go on: concurrency by design, not timing. */
interface Gate {
  loaded: () => void;
  go: Promise<void>;
}
const gates = new Map<string, Gate>();

/** One route that runs a list of ops and saves, one that reports what the session holds. */
function lifecycleApp(store: Store): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/run", async (c) => {
    const gate = gates.get(c.req.header("x-gate") ?? "");
    if (gate) {
      gate.loaded();
      await gate.go;
    }
    const session = getSession(c);
    const results: (unknown[] | null)[] = [];
    for (const op of await c.req.json<Op[]>()) {
      if (op.op === "flashes") results.push(session.flashes(op.key));
      else results.push(null);
      if (op.op === "set") session.set(op.key, op.value);
      else if (op.op === "delete") session.delete(op.key);
      else if (op.op === "clear") session.clear();
      else if (op.op === "addFlash") session.addFlash(op.value, op.key);
      else if (op.op === "regenerate") await session.regenerate();
      else if (op.op === "destroy") await session.destroy();
      else if (op.op === "expire") session.options({ maxAge: 0 });
      else if (op.op === "save") await session.save();
    }
    await session.save();
    return c.json(results);
  });
  app.get("/state", (c) => {
    const session = getSession(c);
    const data = Object.fromEntries(KEYS.filter((key) => session.get(key) !== undefined).map((key) => [key, session.get(key)]));
    return c.json({ isNew: session.isNew, data });
  });
  return app;
}

interface Model {
  /** What the browser's cookie opens: undefined when it opens nothing. */
  session: ModelData | undefined;
  /** Cookie values whose session was retired (server stores): each must open nothing. */
  retired: string[];
  newItem: () => number;
}

interface Real {
  app: Hono;
  /** The browser's `session` cookie value. */
  cookie: string | undefined;
}

/** The Set-Cookie of `session` in a response: undefined if none, "" if it deletes the cookie. */
function sessionCookie(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((each) => each.startsWith("session="));
  if (line === undefined) return undefined;
  return /;\s*Max-Age=0(;|$)/i.test(line) ? "" : line.slice("session=".length, line.indexOf(";"));
}

function run(real: Real, ops: Op[], cookie: string | undefined, gate?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = `session=${cookie}`;
  if (gate) headers["x-gate"] = gate;
  return Promise.resolve(real.app.request("/run", { method: "POST", headers, body: JSON.stringify(ops) }));
}

async function expectOpens(real: Real, cookie: string | undefined, expected: ModelData | undefined): Promise<void> {
  const response = await real.app.request("/state", { headers: cookie ? { cookie: `session=${cookie}` } : {} });
  expect(response.headers.getSetCookie()).toEqual([]);
  expect(await response.json()).toEqual(expected ? { isNew: false, data: view(expected) } : { isNew: true, data: {} });
}

/** After every command: the browser's cookie opens what the model holds, and no retired cookie opens anything. */
async function checkAll(model: Model, real: Real): Promise<void> {
  await expectOpens(real, real.cookie, model.session);
  for (const cookie of model.retired) await expectOpens(real, cookie, undefined);
}

function adopt(real: Real, set: string | undefined): void {
  if (set !== undefined) real.cookie = set === "" ? undefined : set;
}

class RequestCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ops: Op[], readonly serverSide: boolean) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const expected = runRequest(model.session, this.ops, model.newItem);
    const sent = real.cookie;
    const response = await run(real, this.ops, sent);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expected.results);
    const set = sessionCookie(response);
    expect(set !== undefined).toBe(expected.setsCookie);
    adopt(real, set);
    if (this.serverSide && expected.retiresLoaded && sent) model.retired.push(sent);
    model.session = expected.stored ? expected.data : undefined;
    await checkAll(model, real);
  }
  toString(): string {
    return `request ${JSON.stringify(this.ops)}`;
  }
}

/**
 * Two requests load the session at once; the first saves and answers, then the second. Both
 * merge into the entry per key (DESIGN); once the first destroyed or regenerated the session, the
 * second's late save writes nothing and sets no cookie that opens it (DESIGN, "destroy() is final").
 */
class PairCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly first: Op[], readonly second: Op[]) {}
  check(model: Model): boolean {
    return model.session !== undefined;
  }
  async run(model: Model, real: Real): Promise<void> {
    const loaded = model.session!;
    const sent = real.cookie!;
    const one = runRequest(loaded, this.first, model.newItem);
    // Once the first destroyed or regenerated the session, the second's saves find it gone.
    const gone = one.effect.kind === "destroy" || one.effect.kind === "move";
    const two = runRequest(loaded, this.second, model.newItem, gone);
    const ids = [randomBytes(6).toString("hex"), randomBytes(6).toString("hex")];
    const released: (() => void)[] = [];
    const loadedBoth = ids.map(
      (id, i) =>
        new Promise<void>((loadedResolve) => {
          gates.set(id, { loaded: loadedResolve, go: new Promise<void>((go) => (released[i] = go)) });
        }),
    );
    try {
      const firstResponse = run(real, this.first, sent, ids[0]);
      const secondResponse = run(real, this.second, sent, ids[1]);
      // A request that fails before its gate would leave the other waiting: fail at once instead.
      const answeredEarly = Promise.race([firstResponse, secondResponse]).then((response) => {
        throw new Error(`a request answered ${response.status} before both had loaded`);
      });
      await Promise.race([Promise.all(loadedBoth), answeredEarly]);
      answeredEarly.catch(() => {});
      released[0]!();
      const r1 = await firstResponse;
      released[1]!();
      const r2 = await secondResponse;
      expect([r1.status, r2.status]).toEqual([200, 200]);
      expect(await r1.json()).toEqual(one.results);
      expect(await r2.json()).toEqual(two.results);
      this.#settle(model, real, sent, one, two, gone, sessionCookie(r1), sessionCookie(r2));
    } finally {
      for (const id of ids) gates.delete(id);
    }
    await checkAll(model, real);
  }

  #settle(model: Model, real: Real, sent: string, one: RequestOutcome, two: RequestOutcome, gone: boolean, set1: string | undefined, set2: string | undefined): void {
    // The entry both loaded, through the first save and then the second.
    let entry: ModelData | undefined = model.session!;
    let moved: ModelData | undefined;
    const apply = (outcome: RequestOutcome) => {
      const { effect } = outcome;
      if (effect.kind === "delta") entry = applyDelta(entry!, effect);
      else if (effect.kind === "replace") entry = effect.data;
      else if (effect.kind === "destroy") entry = undefined;
      else if (effect.kind === "move") [entry, moved] = [undefined, effect.data];
    };
    apply(one);
    // A save of a session the first request retired writes nothing: the second only ever
    // wrote a new session of its own, after its save found the old one gone.
    if (!gone) apply(two);
    expect(set1 !== undefined).toBe(one.setsCookie);
    expect(set2 !== undefined).toBe(two.setsCookie);
    if (entry === undefined) model.retired.push(sent);
    // The browser keeps the last cookie it was sent.
    if (set2 !== undefined) model.session = set2 === "" ? undefined : gone ? two.data : entry;
    else if (set1 !== undefined) model.session = set1 === "" ? undefined : (moved ?? entry);
    else model.session = entry;
    adopt(real, set1);
    adopt(real, set2);
  }

  toString(): string {
    return `pair ${JSON.stringify(this.first)} | ${JSON.stringify(this.second)}`;
  }
}

// Values of every JSON kind, with no -0 or non-integers (JSON would not bring them back exactly).
const value: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
  fc.record({ x: fc.string({ maxLength: 3 }) }),
);
const key = fc.constantFrom(...KEYS);
const anyOp: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("set" as const), key: fc.constantFrom("a", "b", "c"), value }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant("delete" as const), key }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("addFlash" as const), key: fc.constantFrom("c", "_flash"), value }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("flashes" as const), key }), weight: 2 },
  { arbitrary: fc.constantFrom<Op>({ op: "clear" }, { op: "save" }), weight: 2 },
  { arbitrary: fc.constantFrom<Op>({ op: "regenerate" }, { op: "destroy" }, { op: "expire" }), weight: 1 },
);
// In a pair: "a" and "b" plain, "_flash" flashes (see KEYS).
const plainKey = fc.constantFrom("a", "b");
const pairOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), key: plainKey, value }),
  fc.record({ op: fc.constant("delete" as const), key: plainKey }),
  fc.record({ op: fc.constant("addFlash" as const), key: fc.constant("_flash"), value }),
  fc.record({ op: fc.constant("flashes" as const), key: fc.constant("_flash") }),
  fc.constantFrom<Op>({ op: "clear" }, { op: "save" }),
);
const pairOps = fc.array(pairOp, { minLength: 1, maxLength: 3 });
const endsWith = (ops: fc.Arbitrary<Op[]>, last: fc.Arbitrary<Op>) => fc.tuple(ops, last).map(([each, end]) => [...each, end]);
const retiring = fc.constantFrom<Op>({ op: "destroy" }, { op: "expire" }, { op: "regenerate" });

interface Subject {
  label: string;
  make: () => Store;
  serverSide: boolean;
  runs: number;
}

const subjects: Subject[] = [
  { label: "CookieStore (encrypted)", make: () => new CookieStore({ secrets: SECRET }), serverSide: false, runs: 80 },
  { label: "CookieStore (signed)", make: () => new CookieStore({ secrets: SECRET, encrypt: false }), serverSide: false, runs: 80 },
  { label: "MemoryStore", make: () => new MemoryStore({ secrets: SECRET }), serverSide: true, runs: 150 },
  {
    label: "UpstashRedisStore",
    make: () => new UpstashRedisStore({ url: endpoint.url, token: endpoint.token, secrets: SECRET, prefix: `test:model:${randomBytes(6).toString("hex")}:` }),
    serverSide: true,
    runs: 50,
  },
  {
    label: "RedisStore (ioredis)",
    make: () => new RedisStore({ client: ioredis, secrets: SECRET, prefix: `test:model:${randomBytes(6).toString("hex")}:` }),
    serverSide: true,
    runs: 50,
  },
  {
    label: "DenoKvStore (@deno/kv, SQLite)",
    make: () => new DenoKvStore({ kv, secrets: SECRET, prefix: ["test", randomBytes(6).toString("hex")] }),
    serverSide: true,
    runs: 50,
  },
];

function lifecycles(subject: Subject, pairs: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[], seed: number, runs = subject.runs): Promise<void> {
  const app = lifecycleApp(subject.make());
  const requests = fc.array(anyOp, { minLength: 1, maxLength: 4 }).map((ops) => new RequestCommand(ops, subject.serverSide));
  return fc.assert(
    // Pairs listed three times: they are picked more often, as they only run on a live session.
    fc.asyncProperty(fc.commands([requests, ...pairs, ...pairs, ...pairs], { maxCommands: 12, size: "max" }), async (commands) => {
      let item = 0;
      const model: Model = { session: undefined, retired: [], newItem: () => ++item };
      await fc.asyncModelRun(() => ({ model, real: { app, cookie: undefined } }), commands);
    }),
    { numRuns: generatedRuns(runs), seed },
  );
}

describe.each(subjects)("session lifecycles against the model: $label", (subject) => {
  it("random requests over many sessions hold what the model holds", async () => {
    await lifecycles(subject, [], SEED);
  }, 60_000);

  // Pairs and retired ids only mean something where the data lives server-side.
  if (!subject.serverSide) return;

  it("concurrent pairs merge per key, and every retired id opens nothing", async () => {
    const merging = fc.tuple(pairOps, fc.oneof({ arbitrary: pairOps, weight: 2 }, { arbitrary: endsWith(pairOps, retiring.filter((op) => op.op !== "regenerate")), weight: 1 }));
    await lifecycles(subject, [merging.map(([first, second]) => new PairCommand(first, second))], SEED + 1, subject.runs * 2);
  }, 60_000);

  it("final destroy: a session destroyed or regenerated by one request is not revived by a concurrent late save", async () => {
    const late = fc.tuple(endsWith(pairOps, retiring), pairOps);
    await lifecycles(subject, [late.map(([first, second]) => new PairCommand(first, second))], SEED + 2, subject.runs * 2);
  }, 60_000);
});
