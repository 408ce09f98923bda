// PostgresStore against the machine's PostgreSQL, through node-postgres (a Pool and a Client) and
// postgres.js: the conformance kit with its races, 40 concurrent writers, exact values, the table
// as stored, expiry and prune(), migrate() racing itself, configuration and faults.
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import pg from "pg";
import postgres from "postgres";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { SessionError } from "../../src/errors.ts";
import type { SessionWrite, Store } from "../../src/store.ts";
import { PostgresStore } from "../../src/stores/postgres.ts";
import type { PostgresClientLike, PostgresStoreOptions } from "../../src/stores/postgres.ts";
import { manualClock } from "../../testing/assert.ts";
import { describeStoreConformance } from "../conformance.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { freePort } from "../support/free-port.ts";
import { ensurePostgres, uniqueTable } from "../support/postgres.ts";
import { startRoundTripProxy } from "../support/round-trip-proxy.ts";
import { dataWrite } from "../support/session-write.ts";

const url = await ensurePostgres();
const pool = new pg.Pool({ connectionString: url, max: 8 });
const client = new pg.Client({ connectionString: url });
await client.connect();
const sql = postgres(url, { max: 8, onnotice: () => {} });
const tables: string[] = [];
afterAll(async () => {
  for (const table of tables) await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await client.end();
  await sql.end();
  await pool.end();
});

/** A new table, migrated, dropped when the file ends. */
async function freshTable(label: string): Promise<string> {
  const table = uniqueTable(label);
  tables.push(table);
  await new PostgresStore({ client: pool, secrets: SECRET, table }).migrate();
  return table;
}

const clients: Array<[string, PostgresClientLike]> = [
  ["pg Pool", pool],
  ["pg Client", client],
  ["postgres.js", sql],
];

for (const [label, subject] of clients) {
  // One table per client: the stores a factory makes are instances of one app sharing the table.
  const table = await freshTable(label.replace(/\W/g, "").toLowerCase());
  describeStoreConformance(`PostgresStore (${label})`, {
    make: (secrets = [SECRET], options) => new PostgresStore({ client: subject, secrets, table, ...options }),
    serverSide: true,
    sharedBackend: true,
  });
}

function counterApp(store: Store) {
  const app = new Hono();
  app.use(sessions("session", store));
  app.get("/read", (c) => c.json(getSession(c).get("count") ?? null));
  app.post("/incr", async (c) => {
    getSession(c).set("count", ((getSession(c).get("count") as number) ?? 0) + 1);
    await getSession(c).save();
    return c.json(getSession(c).get("count"));
  });
  app.post("/set/:key", async (c) => {
    getSession(c).set(c.req.param("key"), true);
    await getSession(c).save();
    return c.json({});
  });
  app.get("/keys", (c) => c.json([...Array(40).keys()].filter((i) => getSession(c).get(`k${i}`) === true)));
  return app;
}

describe("PostgresStore under concurrency", () => {
  it.each(clients)("keeps all 40 keys set by 40 concurrent requests on one session (%s)", async (_label, subject) => {
    const app = counterApp(new PostgresStore({ client: subject, secrets: SECRET, table: await freshTable("forty") }));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/set/start", { method: "POST" });
    const cookie = b.cookieHeader();
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => app.request(`/set/k${i}`, { method: "POST", headers: { Cookie: cookie } })));
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(await b.json("/keys")).toEqual([...Array(40).keys()]);
  });

  it("moves a session to one new id when ten requests regenerate it at once; the others write nothing", async () => {
    const table = await freshTable("regen");
    const store = new PostgresStore({ client: pool, secrets: SECRET, table });
    const old = write(newId());
    await store.save("session", old);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.save("session", { ...write(newId()), previousId: old.id, cleared: true })),
    );
    expect(results.filter((value) => value !== undefined)).toHaveLength(1);
    const { rows } = await pool.query(`SELECT id FROM ${table}`);
    expect(rows).toHaveLength(1);
    expect(rows[0].id).not.toBe(old.id);
  });
});

/** The tests' database reached through a proxy on 127.0.0.1:`port`. */
function via(port: number): string {
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return proxied.toString();
}

/** Resolves once a statement starting with `start` waits for a lock: the gate it queues at is shut. */
async function waitingOnLock(table: string, start: string): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const { rows } = await pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND ltrim(query, E' \\n') LIKE $1 AND strpos(query, $2) > 0", [`${start}%`, table]);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no statement starting with ${start} came to wait for a lock within 10 s`);
}

/** Holds the row of `id` locked in a transaction of its own until `release()`: a gate for statements on it. */
async function holdRow(table: string, id: string) {
  const holder = await pool.connect();
  await holder.query("BEGIN");
  await holder.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
  return {
    release: async () => {
      await holder.query("COMMIT");
      holder.release();
    },
  };
}

describe("PostgresStore with statements held at a locked row", { timeout: 20_000 }, () => {
  it("destroyAll() that overlaps a regenerate() of one of the owner's sessions leaves no session of the owner behind", async () => {
    const table = await freshTable("overlap");
    const store = new PostgresStore({ client: pool, secrets: SECRET, table, owner: "userId" });
    const old = write(newId(), { userId: "ada" });
    await store.save("session", old);
    const gate = await holdRow(table, old.id);
    let regenerated: Promise<unknown>;
    let destroyed: Promise<number>;
    try {
      // The regenerate queues at the row first, destroyAll() behind it; then the gate opens.
      regenerated = store.save("session", { ...write(newId(), { userId: "ada" }), previousId: old.id, cleared: true });
      await waitingOnLock(table, "WITH previous");
      destroyed = store.destroyAll("ada");
      await waitingOnLock(table, "WITH seen");
    } finally {
      await gate.release();
    }
    expect(await regenerated).toBeDefined();
    expect(await destroyed).toBe(1);
    expect(await store.list("ada")).toEqual([]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
  });

  it("a save held behind destroy() finds no row once the gate opens, and writes nothing", async () => {
    const table = await freshTable("held");
    const store = new PostgresStore({ client: pool, secrets: SECRET, table });
    const session = write(newId());
    await store.save("session", session);
    const gate = await holdRow(table, session.id);
    let destroyed: Promise<void>;
    let late: Promise<string | undefined>;
    try {
      destroyed = store.destroy("session", session.id);
      await waitingOnLock(table, "DELETE");
      late = store.save("session", { ...write(session.id, { secret: "late" }), mustExist: true });
      await waitingOnLock(table, "UPDATE");
    } finally {
      await gate.release();
    }
    await destroyed;
    expect(await late).toBeUndefined();
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
  });

  it("prune() does not wait for a row another statement holds: it leaves it for the next prune", async () => {
    const table = await freshTable("skip");
    const store = new PostgresStore({ client: pool, secrets: SECRET, table });
    const [held, free] = [write(newId()), write(newId())];
    await store.save("session", held);
    await store.save("session", free);
    await pool.query(`UPDATE ${table} SET expires_at = 1`);
    const gate = await holdRow(table, held.id);
    try {
      expect(await store.prune()).toBe(1);
    } finally {
      await gate.release();
    }
    expect(await store.prune()).toBe(1);
  });
});

/** A client that records the statements sent through it. */
function counted() {
  const statements: string[] = [];
  const counting = { query: (text: string, params?: unknown[]) => (statements.push(text.trim().split(/\s/)[0]!), pool.query(text, params)) };
  return { statements, client: counting };
}

describe("PostgresStore round trips", () => {
  it("records a read-only request's use with one UPDATE once last_seen_at is 5 minutes old, none before", async () => {
    const { statements, client: counting } = counted();
    const app = counterApp(new PostgresStore({ client: counting, secrets: SECRET, table: await freshTable("touch") }));
    const b = new TestBrowser((request) => app.fetch(request));
    const clock = manualClock();
    try {
      await b.json("/incr", { method: "POST" });
      statements.length = 0;
      clock.advance(4 * 60_000);
      await b.json("/read");
      expect(statements).toEqual(["SELECT"]);
      clock.advance(61_000);
      await b.json("/read");
      await b.json("/read");
      expect(statements).toEqual(["SELECT", "SELECT", "UPDATE", "SELECT"]);
    } finally {
      clock.restore();
    }
  });

  it("saves a new session with one statement, loads with one and saves with one, and sends nothing for a forged cookie", async () => {
    const { statements, client: counting } = counted();
    const app = counterApp(new PostgresStore({ client: counting, secrets: SECRET, table: await freshTable("trips"), owner: "userId" }));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.json("/incr", { method: "POST" });
    expect(statements).toEqual(["INSERT"]);
    statements.length = 0;
    expect(await b.json("/incr", { method: "POST" })).toBe(2);
    expect(statements).toEqual(["SELECT", "UPDATE"]);
    statements.length = 0;
    expect(await b.json("/read")).toBe(2);
    await app.request("/read", { headers: { Cookie: "session=forged.value" } });
    await app.request("/read");
    expect(statements).toEqual(["SELECT"]);
  });

  it.each([
    ["pg Pool", (port: number) => new pg.Pool({ connectionString: via(port), max: 1 }), (c: pg.Pool) => c.end()],
    ["postgres.js", (port: number) => postgres(via(port), { max: 1 }), (c: postgres.Sql) => c.end()],
  ] as const)("takes one round trip on the wire to load and one to save, once a connection is warm (%s)", async (_label, connect, end) => {
    const { hostname, port } = new URL(url);
    const proxy = await startRoundTripProxy({ host: hostname, port: Number(port) });
    const subject = connect(proxy.port);
    try {
      const app = counterApp(new PostgresStore({ client: subject, secrets: SECRET, table: await freshTable("wire"), owner: "userId" }));
      // Warm: the connection is open and postgres.js has prepared each statement once.
      for (let i = 0; i < 2; i++) {
        const warm = new TestBrowser((request) => app.fetch(request));
        await warm.json("/incr", { method: "POST" });
        await warm.json("/incr", { method: "POST" });
      }
      const b = new TestBrowser((request) => app.fetch(request));
      proxy.reset();
      await b.json("/incr", { method: "POST" });
      expect(proxy.roundTrips).toBe(1);
      proxy.reset();
      expect(await b.json("/incr", { method: "POST" })).toBe(2);
      expect(proxy.roundTrips).toBe(2);
      proxy.reset();
      await b.json("/read");
      expect(proxy.roundTrips).toBe(1);
      proxy.reset();
      await app.request("/read", { headers: { Cookie: "session=forged.value" } });
      expect(proxy.roundTrips).toBe(0);
    } finally {
      await (end as (c: typeof subject) => Promise<void>)(subject);
      await proxy.close();
    }
  });
});

const newId = () => randomBytes(16).toString("base64url");

/** A save that sets `data` (by default `secret`), as the jar would hand it to the store. */
function write(id: string, data?: Record<string, unknown>): SessionWrite {
  return dataWrite(id, data, { expiresAt: Date.now() + 60_000 });
}

describe("PostgresStore values", () => {
  const exact: Record<string, unknown> = {
    "a.b": "123",
    "$.c": 123,
    "x[0]": [1, "2", { "3": null }],
    "{a,b}": { nested: { "a.b": true } },
    nul: "before\u0000after",
    lone: "high \uD800 low \uDC00",
    pair: "emoji \uD83D\uDE00",
    big: 2 ** 53 - 1,
    float: 0.1,
    empty: "",
    quote: `"'\\`,
  };

  it.each(clients)("round-trips values exactly, keys as plain keys, NUL and lone surrogates included (%s)", async (_label, subject) => {
    const store = new PostgresStore({ client: subject, secrets: SECRET, table: await freshTable("exact") });
    const id = newId();
    const cookie = (await store.save("session", write(id, exact)))!;
    const loaded = await store.load("session", cookie);
    expect(Object.fromEntries(loaded!.data)).toEqual(exact);
    expect(typeof loaded!.data.get("a.b")).toBe("string");
  });

  it.each([
    ["a key holding NUL", { "a\u0000b": 1 }, undefined],
    ["a key holding a lone surrogate", { "a\uD800": 1 }, undefined],
    ["an owner name holding NUL", { userId: "ada\u0000" }, "userId"],
    ["an owner name holding a lone surrogate", { userId: "ada\uDC00" }, "userId"],
  ])("refuses %s with ERR_SESSION_DATA and writes nothing", async (_label, data, owner) => {
    const table = await freshTable("refuse");
    const store = new PostgresStore({ client: pool, secrets: SECRET, table, owner });
    const id = newId();
    const cookie = (await store.save("session", write(id, { kept: "yes" })))!;
    const error = await store.save("session", { ...write(id, { ...data, kept: "changed" }), mustExist: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe("ERR_SESSION_DATA");
    expect(Object.fromEntries((await store.load("session", cookie))!.data)).toEqual({ kept: "yes" });
  });
});

describe("PostgresStore rows as read", () => {
  it("orders flashes by their ids, whatever order the row's object lists them in, and groups them by key", async () => {
    const id = newId();
    const flashes = { c: ["_flash", '"third"'], a: ["_flash", '"first"'], b: ["note", '"other"'], aa: ["_flash", '"second"'] };
    const row = { data: JSON.stringify({ n: "1" }), flashes: JSON.stringify(flashes), created_at: "1000", expires_at: String(Date.now() + 60_000), last_seen_at: "2000" };
    const fake = { query: async (text: string) => ({ rows: text.trim().startsWith("SELECT") ? [row] : [{ written: 1 }] }) };
    const store = new PostgresStore({ client: fake, secrets: SECRET });
    const loaded = await store.load("session", (await store.save("session", write(id)))!);
    expect(loaded).toEqual({
      id,
      data: new Map<string, unknown>([["n", 1], ["_flash", ["first", "second", "third"]], ["note", ["other"]]]),
      createdAt: 1000,
      expiresAt: Number(row.expires_at),
      lastSeenAt: 2000,
      flashIds: new Map([["_flash", ["a", "aa", "c"]], ["note", ["b"]]]),
    });
  });
});

describe("PostgresStore list() as read", () => {
  it("asks for the data only with listed, and lists only the values it wrote (JSON text)", async () => {
    const row = { id: "s1", created_at: "1000", expires_at: String(Date.now() + 60_000), last_seen_at: "2000", data: JSON.stringify({ n: "1", device: 5, other: '"x"' }) };
    const params: unknown[][] = [];
    const fake = { query: async (_text: string, values: unknown[]) => (params.push(values), { rows: [row] }) };
    const plain = new PostgresStore({ client: fake, secrets: SECRET, owner: "userId" });
    expect(await plain.list("ada")).toStrictEqual([{ id: "s1", createdAt: 1000, expiresAt: Number(row.expires_at), lastSeenAt: 2000 }]);
    const listing = new PostgresStore({ client: fake, secrets: SECRET, owner: "userId", listed: ["n", "device", "toString"] });
    expect((await listing.list("ada"))[0]!.data).toStrictEqual({ n: 1 });
    expect(params.map((values) => values[2])).toEqual(["false", "true"]);
  });
});

describe("PostgresStore table", () => {
  it("keeps one row per session: values and flashes as JSON text in jsonb, the owner, and the three times", async () => {
    const table = await freshTable("layout");
    const store = new PostgresStore({ client: pool, secrets: SECRET, table, owner: "userId" });
    const app = new Hono();
    app.use(sessions("session", store));
    app.post("/login", async (c) => {
      getSession(c).set("userId", "ada");
      getSession(c).set("n", "1");
      getSession(c).addFlash("hello");
      getSession(c).addFlash("again");
      await getSession(c).save();
      return c.json(getSession(c).id);
    });
    app.post("/touch", async (c) => {
      getSession(c).set("n", 2);
      await getSession(c).save();
      return c.json({});
    });
    const b = new TestBrowser((request) => app.fetch(request));
    const before = Date.now();
    const id = await b.json("/login", { method: "POST" });
    const { rows } = await pool.query(`SELECT * FROM ${table}`);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row.id).toBe(id);
    expect(row.data).toEqual({ userId: '"ada"', n: '"1"' });
    const flashes = Object.entries(row.flashes).sort(([a], [b]) => (a < b ? -1 : 1));
    expect(flashes.map(([, value]) => value)).toEqual([
      ["_flash", '"hello"'],
      ["_flash", '"again"'],
    ]);
    expect(row.owner).toBe("ada");
    expect(Number(row.created_at)).toBeGreaterThanOrEqual(before);
    expect(Number(row.expires_at)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(Number(row.last_seen_at)).toBeGreaterThanOrEqual(before);
    await pool.query(`UPDATE ${table} SET last_seen_at = 1`);
    await b.fetch("/touch", { method: "POST" });
    const after = (await pool.query(`SELECT data, created_at, last_seen_at FROM ${table}`)).rows[0];
    expect(after.data).toEqual({ userId: '"ada"', n: "2" });
    expect(after.created_at).toBe(row.created_at);
    expect(Number(after.last_seen_at)).toBeGreaterThanOrEqual(before);
  });

  it("serves list() from the owner index and prune() from the expiry index", async () => {
    const table = await freshTable("plan");
    await using connection = await checkout();
    await connection.query("SET enable_seqscan = off");
    const plan = async (text: string) => (await connection.query(`EXPLAIN ${text}`)).rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(await plan(`SELECT id FROM ${table} WHERE owner = 'ada' AND expires_at > 0`)).toContain(`${table}_owner_idx`);
    expect(await plan(`DELETE FROM ${table} WHERE expires_at <= 5`)).toContain(`${table}_expires_at_idx`);
  });

  it("works in a schema of its own (schema.table)", async () => {
    const schema = uniqueTable("schema");
    await pool.query(`CREATE SCHEMA ${schema}`);
    try {
      const store = new PostgresStore({ client: pool, secrets: SECRET, table: `${schema}.sessions` });
      await store.migrate();
      const app = counterApp(store);
      const b = new TestBrowser((request) => app.fetch(request));
      await b.json("/incr", { method: "POST" });
      expect(await b.json("/incr", { method: "POST" })).toBe(2);
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.sessions`)).rows[0].n).toBe(1);
    } finally {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });
});

/** A pooled connection of its own, released at the end of the block. */
async function checkout() {
  const connection = await pool.connect();
  return Object.assign(connection, { [Symbol.asyncDispose]: async () => connection.release() });
}

describe("PostgresStore expiry and prune()", () => {
  it("never returns an expired session, lists or counts it, whether or not anyone prunes; prune() deletes exactly those", async () => {
    const table = await freshTable("prune");
    const store = new PostgresStore({ client: pool, secrets: SECRET, table, owner: "userId" });
    const live = write(newId(), { userId: "ada" });
    const expired = [write(newId(), { userId: "ada" }), write(newId(), { userId: "ada" }), write(newId())];
    const liveCookie = (await store.save("session", live))!;
    const cookies = await Promise.all(expired.map((w) => store.save("session", w)));
    await pool.query(`UPDATE ${table} SET expires_at = $1 WHERE id = ANY($2)`, [Date.now() - 1, expired.map((w) => w.id)]);
    for (const cookie of cookies) expect(await store.load("session", cookie!)).toBeUndefined();
    expect((await store.list("ada")).map((info) => info.id)).toEqual([live.id]);
    // A late save of an expired session writes nothing.
    expect(await store.save("session", { ...expired[0]!, mustExist: true })).toBeUndefined();
    expect(await store.prune()).toBe(3);
    expect(await store.prune()).toBe(0);
    expect((await pool.query(`SELECT id FROM ${table}`)).rows).toEqual([{ id: live.id }]);
    expect(await store.load("session", liveCookie)).toBeDefined();
  });

  it("destroyAll() counts only live sessions, spares `except`, and leaves other owners alone", async () => {
    const table = await freshTable("all");
    const store = new PostgresStore({ client: sql, secrets: SECRET, table, owner: "userId" });
    const mine = [write(newId(), { userId: 7 }), write(newId(), { userId: 7 }), write(newId(), { userId: 7 })];
    const theirs = write(newId(), { userId: "8" });
    for (const w of [...mine, theirs]) await store.save("session", w);
    await pool.query(`UPDATE ${table} SET expires_at = 1 WHERE id = $1`, [mine[0]!.id]);
    expect(await store.destroyAll("7", { except: mine[2]!.id })).toBe(1);
    expect((await pool.query(`SELECT id FROM ${table} ORDER BY id`)).rows.map((row) => row.id)).toEqual([mine[2]!.id, theirs.id].sort());
  });

  it("a session that was never saved is never stored: a new session's first save writes its row", async () => {
    const table = await freshTable("new");
    const store = new PostgresStore({ client: pool, secrets: SECRET, table });
    const w = write(newId());
    expect(await store.save("session", { ...w, mustExist: true })).toBeUndefined();
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
  });
});

describe("PostgresStore.migrate()", () => {
  it("is idempotent, and safe when several connections run it at once on a missing table", async () => {
    const table = uniqueTable("migrate");
    tables.push(table);
    const separate = await Promise.all(Array.from({ length: 4 }, async () => {
      const own = new pg.Client({ connectionString: url });
      await own.connect();
      return own;
    }));
    try {
      const runs = [...separate, sql].map((subject) => new PostgresStore({ client: subject, secrets: SECRET, table }).migrate());
      await expect(Promise.all(runs)).resolves.toHaveLength(5);
      await new PostgresStore({ client: pool, secrets: SECRET, table }).migrate();
    } finally {
      await Promise.all(separate.map((own) => own.end()));
    }
    const { rows } = await pool.query("SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname", [table]);
    expect(rows.map((row) => row.indexname)).toEqual([`${table}_expires_at_idx`, `${table}_owner_idx`, `${table}_pkey`]);
  });

  it("does not make postgres.js print notices for what already exists", async () => {
    const table = await freshTable("quiet");
    const onnotice = vi.fn();
    const noisy = postgres(url, { max: 1, onnotice });
    try {
      await new PostgresStore({ client: noisy, secrets: SECRET, table }).migrate();
      expect(onnotice).not.toHaveBeenCalled();
    } finally {
      await noisy.end();
    }
  });
});

async function storeError(promise: Promise<unknown>): Promise<SessionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SessionError);
  expect((error as SessionError).code).toBe("ERR_SESSION_STORE");
  const cause = (error as SessionError).cause as Error;
  expect(cause).toBeInstanceOf(Error);
  expect(`${(error as Error).message}\n${cause.message}\n${cause.stack}\n${JSON.stringify(cause)}`).not.toContain("s3cr3t-value");
  expect(Object.keys(cause).filter((key) => key !== "code" && key !== "name")).toEqual([]);
  return error as SessionError;
}

describe("PostgresStore faults", () => {
  it("rejects load and save with ERR_SESSION_STORE when the database is down (node-postgres and postgres.js)", async () => {
    const table = await freshTable("down");
    const cookie = (await new PostgresStore({ client: pool, secrets: SECRET, table }).save("session", write(newId())))!;
    const port = await freePort();
    const down = new pg.Pool({ host: "127.0.0.1", port, user: "postgres", connectionTimeoutMillis: 2000 });
    const downJs = postgres({ host: "127.0.0.1", port, user: "postgres", connect_timeout: 2, onnotice: () => {} });
    try {
      for (const subject of [down, downJs]) {
        const store = new PostgresStore({ client: subject, secrets: SECRET, table });
        await storeError(store.load("session", cookie));
        await storeError(store.save("session", write(newId())));
        await storeError(store.migrate());
      }
    } finally {
      await down.end();
      await downJs.end();
    }
  });

  it("rejects with ERR_SESSION_STORE when the connection was cut under a Client", async () => {
    const own = new pg.Client({ connectionString: url });
    own.on("error", () => {});
    await own.connect();
    const pid = (await own.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    await pool.query("SELECT pg_terminate_backend($1)", [pid]);
    const store = new PostgresStore({ client: own, secrets: SECRET, table: await freshTable("cut") });
    await storeError(store.save("session", write(newId())));
    await own.end().catch(() => {});
  });

  it("rejects with ERR_SESSION_STORE when the database refuses the statement, and a refused save writes nothing", async () => {
    const table = await freshTable("refused");
    const role = uniqueTable("role");
    const password = randomBytes(12).toString("hex");
    // A password of its own, for servers that ask one over TCP; a trust server ignores it.
    await pool.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    const as = new URL(url);
    as.username = role;
    as.password = password;
    const limited = new pg.Pool({ connectionString: as.toString(), max: 2 });
    try {
      const owner = new PostgresStore({ client: pool, secrets: SECRET, table });
      const id = newId();
      const cookie = (await owner.save("session", write(id, { secret: "kept" })))!;
      const store = new PostgresStore({ client: limited, secrets: SECRET, table });
      // No grant at all: every statement is refused (permission denied, SQLSTATE 42501).
      const error = await storeError(store.load("session", cookie));
      expect((error.cause as { code?: string }).code).toBe("42501");
      await storeError(store.save("session", { ...write(id), mustExist: true }));
      // Reading allowed, writing not: the save fails whole.
      await pool.query(`GRANT SELECT ON ${table} TO ${role}`);
      expect(Object.fromEntries((await store.load("session", cookie))!.data)).toEqual({ secret: "kept" });
      await storeError(store.save("session", { ...write(id), mustExist: true }));
      expect((await pool.query(`SELECT data FROM ${table}`)).rows).toEqual([{ data: { secret: '"kept"' } }]);
    } finally {
      await limited.end();
      await pool.query(`DROP OWNED BY ${role}`);
      await pool.query(`DROP ROLE ${role}`);
    }
  });

  it("runs destroyAll() again while concurrent writes make it miss rows, summing what each pass destroyed, and gives up loudly after ten", async () => {
    const replies = [{ destroyed: "2", missed: "1" }, { destroyed: "1", missed: "0" }];
    const calls: unknown[][] = [];
    const settling = new PostgresStore({ client: { query: async (_text: string, params?: unknown[]) => (calls.push(params!), { rows: [replies.shift()!] }) }, secrets: SECRET, owner: "userId" });
    expect(await settling.destroyAll("ada", { except: "keep" })).toBe(3);
    expect(calls.map((params) => params.slice(0, 2))).toEqual([["ada", "keep"], ["ada", "keep"]]);
    let passes = 0;
    const churning = new PostgresStore({ client: { query: async () => (passes++, { rows: [{ destroyed: "1", missed: "1" }] }) }, secrets: SECRET, owner: "userId" });
    const error = await churning.destroyAll("ada").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "ERR_SESSION_STORE" });
    expect(passes).toBe(10);
  });

  it("rejects with ERR_SESSION_STORE when the server refuses the login (a role that may not log in, as with a wrong password)", async () => {
    const table = await freshTable("login");
    const cookie = (await new PostgresStore({ client: pool, secrets: SECRET, table }).save("session", write(newId())))!;
    const role = uniqueTable("nologin");
    await pool.query(`CREATE ROLE ${role} NOLOGIN`);
    const as = new URL(url);
    as.username = role;
    const refused = new pg.Pool({ connectionString: as.toString(), max: 1 });
    const refusedJs = postgres(as.toString(), { max: 1, onnotice: () => {} });
    try {
      for (const subject of [refused, refusedJs]) {
        const store = new PostgresStore({ client: subject, secrets: SECRET, table });
        const error = await storeError(store.load("session", cookie));
        // 28000: invalid authorization (a wrong password is 28P01, from the same family).
        expect((error.cause as { code?: string }).code).toMatch(/^28/);
        await storeError(store.save("session", write(newId())));
      }
    } finally {
      await refused.end();
      await refusedJs.end();
      await pool.query(`DROP ROLE ${role}`);
    }
  });

  it("keeps a client's error as a cause with only its name, message and code; a rejection that is not an Error becomes one", async () => {
    const failing = (error: unknown) => new PostgresStore({ client: { query: () => Promise.reject(error) }, secrets: SECRET });
    const refused = Object.assign(new Error("new row violates check constraint"), { name: "DatabaseError", code: "23514", detail: "Failing row contains (s3cr3t-value)" });
    const cause = (await storeError(failing(refused).save("session", write(newId())))).cause as Error & { code?: string };
    expect({ name: cause.name, message: cause.message, code: cause.code }).toEqual({ name: "DatabaseError", message: "new row violates check constraint", code: "23514" });
    expect(cause).not.toHaveProperty("detail");
    // Only a string code is a SQLSTATE: no other is kept.
    const numbered = (await storeError(failing(Object.assign(new Error("socket hang up"), { code: 42 })).prune())).cause as Error;
    expect(Object.keys(numbered)).not.toContain("code");
    expect(((await storeError(failing("connection lost").prune())).cause as Error).message).toBe("connection lost");
  });
});

describe("PostgresStore configuration", () => {
  it.each<[string, unknown]>([
    ["no client", { secrets: SECRET }],
    ["a client that is not one", { client: {}, secrets: SECRET }],
    ["a short secret", { client: pool, secrets: "short" }],
    ["an empty owner key", { client: pool, secrets: SECRET, owner: "" }],
    ...["", "1sessions", "web-sessions", "a.b.c", "a.", ".a", "x; DROP TABLE y", '"quoted"', "a".repeat(64), "ünïcode"].map(
      (table): [string, unknown] => [`the table ${JSON.stringify(table)}`, { client: pool, secrets: SECRET, table }],
    ),
    ["a table that is not a string", { client: pool, secrets: SECRET, table: 5 }],
    ["a table that is not a string but reads as a name", { client: pool, secrets: SECRET, table: ["sessions"] }],
  ])("throws ERR_SESSION_CONFIG for %s", (_label, options) => {
    expect(() => new PostgresStore(options as unknown as PostgresStoreOptions)).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
  });

  it.each(["s", "_x", "Web_Sessions2", "a".repeat(63), `public.${"b".repeat(63)}`])("accepts the table %s", (table) => {
    expect(new PostgresStore({ client: pool, secrets: SECRET, table })).toBeInstanceOf(PostgresStore);
  });
});
