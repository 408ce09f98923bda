/**
 * SqliteStore's own cases, beyond the conformance suite, for any of its clients: 40 writers on one
 * session, statements per request, exact values and plain keys, expiry with and without prune(),
 * migrate(), the row's columns, a dropped table. Framework-free like the suite: vitest runs them
 * on better-sqlite3, libSQL and D1 from Miniflare (test/stores/sqlite.test.ts), `bun test` on
 * bun:sqlite, `deno test` on node:sqlite, and a Worker on D1 inside workerd (test/runtimes/sqlite/).
 */
import { Hono } from "hono";
import { getSession, sessions } from "../adapters/hono.ts";
import { SessionError } from "../src/errors.ts";
import type { Session } from "../src/session.ts";
import { connect } from "../src/server-store/sqlite/connection.ts";
import type { SqlRow, SqliteDatabase } from "../src/server-store/sqlite/connection.ts";
import { SqliteStore } from "../src/stores/sqlite.ts";
import { assert, manualClock } from "./support/assert.ts";
import { SECRET, TestBrowser } from "./support/browser.ts";
import { countingDb } from "./support/sqlite.ts";

export type It = (name: string, body: () => Promise<void>) => void;

/** A table name no other case uses, so cases can share one database. */
export function freshTable(): string {
  return "t_" + crypto.randomUUID().replaceAll("-", "");
}

/** A migrated store on a fresh table of `db`. */
export async function sqliteStore(db: SqliteDatabase, options: { owner?: string; listed?: string[]; table?: string; secrets?: string[] } = {}): Promise<SqliteStore> {
  const { table = freshTable(), secrets = [SECRET], owner, listed } = options;
  const store = new SqliteStore({ db, secrets, table, owner, listed });
  await store.migrate();
  return store;
}

/** Raw SQL on `db`, beside the store. */
export function rawSql(db: SqliteDatabase): (sql: string, ...args: Array<string | number | null>) => Promise<SqlRow[]> {
  const connection = connect(db)!;
  return (sql, ...args) => connection.all({ sql, args });
}

/** An app whose one route runs `body` on the session, saves it, and answers what `body` returned. */
function sessionApp(store: SqliteStore, body: (session: Session) => unknown): Hono {
  const app = new Hono();
  app.onError((_error, c) => c.text("store failed", 500));
  app.use(sessions("session", store));
  app.post("/", async (c) => {
    const result = await body(getSession(c));
    await getSession(c).save();
    return c.json({ result: result ?? null });
  });
  return app;
}

export function sqliteCases(it: It, open: () => SqliteDatabase): void {
  it("keeps all 40 keys set by 40 concurrent requests on one session", async () => {
    const store = await sqliteStore(open());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loaded = 0;
    const writers = new Hono();
    writers.use(sessions("session", store));
    writers.post("/set/:key", async (c) => {
      getSession(c).set(c.req.param("key"), true);
      loaded++;
      // All 40 have loaded before any saves: every save starts from the same row.
      await gate;
      await getSession(c).save();
      return c.text("ok");
    });
    const b = new TestBrowser((request) => sessionApp(store, (s) => s.set("start", 1)).fetch(request));
    await b.json("/", { method: "POST" });
    const cookie = b.cookieHeader();
    const requests = Array.from({ length: 40 }, (_, i) => writers.request(`/set/k${i}`, { method: "POST", headers: { Cookie: cookie } }));
    while (loaded < 40) await new Promise((resolve) => setTimeout(resolve, 1));
    release();
    assert.deepEqual(await Promise.all(requests.map(async (response) => (await response).status)), Array(40).fill(200));
    const stored = await store.load("session", b.cookies.get("session")!);
    assert.deepEqual([...stored!.data.keys()].sort(), ["start", ...Array.from({ length: 40 }, (_, i) => `k${i}`)].sort());
  });

  it("costs one statement to load and one to save or destroy, and none without a valid cookie", async () => {
    const db = open();
    const table = freshTable();
    await sqliteStore(db, { table });
    const counted = countingDb(db);
    const store = new SqliteStore({ db: counted.db, secrets: [SECRET], table, owner: "user" });
    const app = sessionApp(store, (s) => s.set("user", "ada"));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.json("/", { method: "POST" });
    assert.equal(counted.statements(), 1, "a new session: one save");
    await b.json("/", { method: "POST" });
    assert.equal(counted.statements(), 3, "a stored session: one load and one save");
    await app.request("/", { method: "POST", headers: { Cookie: "session=forged.value" } });
    assert.equal(counted.statements(), 4, "a forged cookie: no load, one save of the new session");
    await store.destroy("session", (await store.load("session", b.cookies.get("session")!))!.id);
    assert.equal(counted.statements(), 6, "one load, one destroy");
  });

  it("keeps values exactly and keys plainly: strings that look like numbers, path-like keys, NUL and lone surrogates", async () => {
    const store = await sqliteStore(open());
    const entries: Array<[string, unknown]> = [
      ["count", "123"],
      ["n", 123],
      ["a.b", "dot"],
      ["$.c", "dollar"],
      ["x[0]", "bracket"],
      ["$", { nested: { "a.b": [1, "2", null] } }],
      ["__proto__", "own key"],
      ["", "empty key"],
      ["nul\u0000key", "nul\u0000value"],
      ["lone\ud800", "lone\udc00surrogate"],
      ["emoji 😀", "😀"],
      ["big", 1e21],
      ["unicode escape", "\\u0041"],
    ];
    const b = new TestBrowser((request) => sessionApp(store, (s) => entries.forEach(([key, value]) => s.set(key, value))).fetch(request));
    await b.json("/", { method: "POST" });
    const reader = new TestBrowser((request) => sessionApp(store, (s) => s.set("touched", true)).fetch(request));
    reader.cookies.set("session", b.cookies.get("session")!);
    // A second save patches the row: the stored keys must be found again by the same text.
    await reader.json("/", { method: "POST" });
    const stored = await store.load("session", b.cookies.get("session")!);
    assert.deepEqual(
      [...stored!.data].filter(([key]) => key !== "touched"),
      entries,
    );
    assert.equal(typeof stored!.data.get("count"), "string");
    // Deleting a path-like key deletes that key only.
    const deleter = new TestBrowser((request) => sessionApp(store, (s) => (s.delete("a.b"), s.delete("nul\u0000key"), s.delete("lone\ud800"))).fetch(request));
    deleter.cookies.set("session", b.cookies.get("session")!);
    await deleter.json("/", { method: "POST" });
    const after = await store.load("session", b.cookies.get("session")!);
    assert.deepEqual(
      [...after!.data.keys()].sort(),
      [...entries.map(([key]) => key).filter((key) => !["a.b", "nul\u0000key", "lone\ud800"].includes(key)), "touched"].sort(),
    );
  });

  it("never reads an expired session, pruned or not, and prune() deletes exactly the expired rows", async () => {
    const db = open();
    const table = freshTable();
    const store = await sqliteStore(db, { table });
    const sql = rawSql(db);
    const short = new TestBrowser((request) => sessionApp(store, (s) => (s.options({ maxAge: 60 }), s.set("k", "short"))).fetch(request));
    const long = new TestBrowser((request) => sessionApp(store, (s) => s.set("k", "long")).fetch(request));
    await short.json("/", { method: "POST" });
    await long.json("/", { method: "POST" });
    const clock = manualClock();
    try {
      clock.advance(61_000);
      // The signed cookie still verifies (its expiry is checked by the second): the row decides.
      const row = await sql(`SELECT id FROM "${table}" WHERE expires_at <= ?`, Date.now());
      assert.equal(row.length, 1);
      assert.equal(await store.load("session", short.cookies.get("session")!), undefined);
      // 2,000 more expired rows: prune() deletes them in bounded batches of 1,000, and all of them.
      await connect(db)!.run({
        sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
              INSERT INTO "${table}" (id, data, flashes, owner, created_at, expires_at, last_seen_at) SELECT 'old' || i, '{}', '{}', NULL, 0, ?, 0 FROM n`,
        args: [Date.now() - 1],
      });
      assert.equal(await store.prune(), 2001);
      assert.equal(await store.prune(), 0);
      assert.equal((await sql(`SELECT count(*) AS n FROM "${table}"`))[0]!["n"], 1);
      assert.equal((await store.load("session", long.cookies.get("session")!))!.data.get("k"), "long");
    } finally {
      clock.restore();
    }
  });

  it("writes the row's columns as documented: JSON objects of JSON texts, owner, times in ms", async () => {
    const db = open();
    const table = freshTable();
    const store = await sqliteStore(db, { table, owner: "user" });
    const before = Date.now();
    const b = new TestBrowser((request) => sessionApp(store, (s) => (s.set("user", "ada"), s.set("count", "1"), s.addFlash("hi"))).fetch(request));
    await b.json("/", { method: "POST" });
    const rows = await rawSql(db)(`SELECT * FROM "${table}"`);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.deepEqual(JSON.parse(row["data"] as string), { user: '"ada"', count: '"1"' });
    const flashes = Object.values(JSON.parse(row["flashes"] as string));
    assert.deepEqual(flashes, [["_flash", '"hi"']]);
    assert.equal(row["owner"], "ada");
    for (const column of ["created_at", "last_seen_at"]) assert.ok(Number(row[column]) >= before && Number(row[column]) <= Date.now(), column);
    assert.ok(Number(row["expires_at"]) > Date.now() + 29 * 86_400_000);
  });

  it("merges a new session's second save into its row (patch or whole), and never into an expired row under its id", async () => {
    const db = open();
    const store = await sqliteStore(db, { owner: "user" });
    const now = Date.now();
    const write = (id: string, data: Record<string, unknown>, changes: { cleared?: boolean; expiresAt?: number } = {}) => ({
      id,
      previousId: undefined,
      data: new Map(Object.entries(data)),
      changed: new Set(Object.keys(data)),
      deleted: new Set<string>(),
      cleared: changes.cleared ?? false,
      createdAt: now,
      expiresAt: changes.expiresAt ?? now + 60_000,
      flashes: new Map(),
      flashIds: new Map(),
    });
    const keys = async (cookie: string | undefined) => {
      const stored = cookie === undefined ? undefined : await store.load("session", cookie);
      return stored && Object.fromEntries(stored.data);
    };
    // Two saves of one new session (neither knows the other wrote): the second patches the first.
    await store.save("session", write("patched", { user: "ada", a: 1 }));
    assert.deepEqual(await keys(await store.save("session", write("patched", { b: 2 }))), { user: "ada", a: 1, b: 2 });
    assert.deepEqual(await store.list("ada").then((list) => list.map(({ id }) => id)), ["patched"]);
    // A whole save (clear(), then set) replaces the values, and names the owner it holds.
    await store.save("session", write("whole", { user: "ada", a: 1 }));
    assert.deepEqual(await keys(await store.save("session", write("whole", { c: 3 }, { cleared: true }))), { c: 3 });
    assert.deepEqual(await store.list("ada").then((list) => list.map(({ id }) => id)), ["patched"]);
    // An expired row under the id is no session: a new save starts from nothing, owner included.
    await store.save("session", write("expired", { user: "ada", a: 1 }, { expiresAt: now - 1 }));
    assert.deepEqual(await keys(await store.save("session", write("expired", { b: 2 }))), { b: 2 });
    assert.deepEqual(await store.list("ada").then((list) => list.map(({ id }) => id)), ["patched"]);
  });

  it("migrate() is idempotent and safe when two stores run it at once", async () => {
    const db = open();
    const table = freshTable();
    const stores = [0, 1, 2].map(() => new SqliteStore({ db, secrets: [SECRET], table }));
    await Promise.all(stores.map((store) => store.migrate()));
    await stores[0]!.migrate();
    const app = sessionApp(stores[1]!, (s) => s.set("k", "v"));
    assert.equal((await app.request("/", { method: "POST" })).status, 200);
  });

  it("rejects with ERR_SESSION_STORE when its table is gone, and the cause holds no session data", async () => {
    const db = open();
    const table = freshTable();
    const store = await sqliteStore(db, { table });
    const b = new TestBrowser((request) => sessionApp(store, (s) => s.set("secret", "sesame-value")).fetch(request));
    await b.json("/", { method: "POST" });
    await connect(db)!.run({ sql: `DROP TABLE "${table}"`, args: [] });
    const failure = (await store.load("session", b.cookies.get("session")!).then(
      () => undefined,
      (error: unknown) => error,
    )) as SessionError;
    assert.ok(failure instanceof SessionError);
    assert.equal(failure.code, "ERR_SESSION_STORE");
    assert.ok(failure.cause instanceof Error);
    const save = (await store
      .save("session", {
        id: "some-id",
        previousId: undefined,
        data: new Map([["secret", "sesame-value"]]),
        changed: new Set(["secret"]),
        deleted: new Set(),
        cleared: false,
        createdAt: Date.now(),
        expiresAt: Date.now() + 60_000,
        flashes: new Map(),
        flashIds: new Map(),
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      )) as SessionError;
    assert.equal(save.code, "ERR_SESSION_STORE");
    assert.doesNotMatch(`${save.message} ${(save.cause as Error).message} ${(save.cause as Error).stack}`, /sesame/);
    assert.equal((await b.fetch("/", { method: "POST" })).status, 500);
    await store.migrate();
    assert.equal((await b.fetch("/", { method: "POST" })).status, 200, "migrate() brings the table back");
  });

  it("refuses a table name that could reach SQL text, and a db of no known shape, with ERR_SESSION_CONFIG", async () => {
    const db = open();
    for (const table of [["web_sessions"], { toString: () => "web_sessions" }] as unknown as string[]) {
      assert.throws(() => new SqliteStore({ db, secrets: [SECRET], table }), { code: "ERR_SESSION_CONFIG" });
    }
    for (const table of ["", "1sessions", "web-sessions", 'x"; DROP TABLE t; --', "a.b", "x".repeat(64), "sessions "]) {
      assert.throws(() => new SqliteStore({ db, secrets: [SECRET], table }), { code: "ERR_SESSION_CONFIG" }, table);
    }
    new SqliteStore({ db, secrets: [SECRET], table: "_" + "x".repeat(62) });
    for (const bad of [null, {}, { prepare() {} }, { execute() {} }, "file:sessions.db"]) {
      assert.throws(() => new SqliteStore({ db: bad as never, secrets: [SECRET] }), { code: "ERR_SESSION_CONFIG" });
    }
  });
}
