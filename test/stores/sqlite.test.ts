// SqliteStore under Node, in this process: the conformance suite (server-store races included) and
// SqliteStore's own cases on better-sqlite3 and libSQL (SQLite files); then what only Node can
// arrange: a read-only file, a lock held past the busy timeout, a closed client; and the query
// plans. D1 from Miniflare and two processes on one file: test/stores/sqlite-d1.test.ts;
// bun:sqlite, node:sqlite (Deno) and D1 inside workerd: test/sqlite-runtimes.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it, vi } from "vitest";
import { SessionError } from "../../src/errors.ts";
import { sqliteStatements } from "../../src/server-store/sqlite/statements.ts";
import { SqliteStore } from "../../src/stores/sqlite.ts";
import type { SqliteDatabase } from "../../src/stores/sqlite.ts";
import { describeStoreConformance } from "../conformance.ts";
import { freshTable, rawSql, sqliteCases, sqliteStore } from "../sqlite-cases.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { Hono } from "hono";
import { getSession, sessions } from "../../adapters/hono.ts";
import { dataWrite } from "../support/session-write.ts";

// The suite's 100 concurrent sessions take seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const dir = mkdtempSync(join(tmpdir(), "web-sessions-sqlite-"));
const better = new Database(join(dir, "better.db"));
better.pragma("journal_mode = WAL");
const libsql = createClient({ url: `file:${join(dir, "libsql.db")}` });
afterAll(async () => {
  better.close();
  libsql.close();
  rmSync(dir, { recursive: true, force: true });
});

const clients: Array<[string, SqliteDatabase]> = [
  ["better-sqlite3", better],
  ["@libsql/client, file: URL", libsql],
];

for (const [label, db] of clients) {
  // One table per factory: the stores it makes are instances of one app sharing the database.
  const table = freshTable();
  describeStoreConformance(`SqliteStore (${label})`, {
    make: (secrets = [SECRET], options) => sqliteStore(db, { table, secrets, ...options }),
    serverSide: true,
    sharedBackend: true,
  });
  describe(`SqliteStore (${label})`, () => sqliteCases((name, body) => it(name, body, 30_000), () => db));
}

/** A counter app over `store` that answers 500 when the store fails. */
function counter(store: SqliteStore): Hono {
  const app = new Hono();
  app.onError((_error, c) => c.text("store failed", 500));
  app.use(sessions("session", store));
  app.post("/", async (c) => {
    getSession(c).set("n", ((getSession(c).get("n") as number) ?? 0) + 1);
    await getSession(c).save();
    return c.json(getSession(c).get("n"));
  });
  return app;
}

async function rejection(promise: Promise<unknown>): Promise<SessionError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(SessionError);
  return error as SessionError;
}

describe("SqliteStore faults (better-sqlite3 and libSQL files)", () => {
  it("rejects saves on a read-only file with ERR_SESSION_STORE (SQLITE_READONLY), and still loads", async () => {
    const file = join(dir, "readonly.db");
    const table = freshTable();
    const writer = new Database(file);
    const b = new TestBrowser((request) => counter(new SqliteStore({ db: writer, secrets: [SECRET], table })).fetch(request));
    await new SqliteStore({ db: writer, secrets: [SECRET], table }).migrate();
    expect(await b.json("/", { method: "POST" })).toBe(1);
    writer.close();
    const readonly = new Database(file, { readonly: true });
    try {
      const store = new SqliteStore({ db: readonly, secrets: [SECRET], table });
      expect((await store.load("session", b.cookies.get("session")!))!.data.get("n")).toBe(1);
      const app = counter(store);
      expect((await app.request("/", { method: "POST", headers: { Cookie: b.cookieHeader() } })).status).toBe(500);
      const error = await rejection(store.prune());
      expect(error.code).toBe("ERR_SESSION_STORE");
      expect((error.cause as { code?: string }).code).toBe("SQLITE_READONLY");
    } finally {
      readonly.close();
    }
  });

  it("rejects with ERR_SESSION_STORE (SQLITE_BUSY) once another connection holds the lock past the busy timeout", async () => {
    const file = join(dir, "locked.db");
    const table = freshTable();
    const holder = new Database(file);
    const waiter = new Database(file, { timeout: 200 });
    try {
      const store = await sqliteStore(waiter, { table });
      const b = new TestBrowser((request) => counter(store).fetch(request));
      expect(await b.json("/", { method: "POST" })).toBe(1);
      holder.exec("BEGIN EXCLUSIVE");
      const started = Date.now();
      expect((await b.fetch("/", { method: "POST" })).status).toBe(500);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      const error = await rejection(store.save("session", dataWrite("x", {}, { createdAt: 0, expiresAt: Date.now() + 1000 })));
      expect(error.code).toBe("ERR_SESSION_STORE");
      expect((error.cause as { code?: string }).code).toBe("SQLITE_BUSY");
      holder.exec("COMMIT");
      expect(await b.json("/", { method: "POST" })).toBe(2);
    } finally {
      holder.close();
      waiter.close();
    }
  });

  it("gives libSQL and node-style clients a busy timeout when they have none, and keeps one they have", async () => {
    const client = createClient({ url: `file:${join(dir, "busy.db")}` });
    const zero = new Database(join(dir, "busy.db"), { timeout: 0 });
    const own = new Database(join(dir, "busy.db"), { timeout: 1234 });
    try {
      for (const db of [client, zero, own]) await sqliteStore(db);
      expect((await client.execute("PRAGMA busy_timeout")).rows[0]!["timeout"]).toBe(5000);
      expect(zero.pragma("busy_timeout", { simple: true })).toBe(5000);
      expect(own.pragma("busy_timeout", { simple: true })).toBe(1234);
    } finally {
      client.close();
      zero.close();
      own.close();
    }
  });

  it("rejects with ERR_SESSION_STORE when the client is closed (a database that is down)", async () => {
    for (const db of [new Database(join(dir, "closed.db")), createClient({ url: `file:${join(dir, "closed-libsql.db")}` })]) {
      const store = await sqliteStore(db);
      const b = new TestBrowser((request) => counter(store).fetch(request));
      expect(await b.json("/", { method: "POST" })).toBe(1);
      db.close();
      expect((await b.fetch("/", { method: "POST" })).status).toBe(500);
      expect((await rejection(store.load("session", b.cookies.get("session")!))).code).toBe("ERR_SESSION_STORE");
      expect((await rejection(store.migrate())).code).toBe("ERR_SESSION_STORE");
    }
  });
});

describe("SqliteStore's queries use its indexes", () => {
  it("looks sessions up by primary key, owners and expiry through their indexes", async () => {
    const table = freshTable();
    await sqliteStore(better, { table });
    const plan = (sql: string) =>
      (better.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from(sql.matchAll(/\?/g), () => 1)) as Array<{ detail: string }>).map(({ detail }) => detail).join("; ");
    const sql = sqliteStatements(table);
    expect(plan(sql.read)).toMatch(/USING INDEX sqlite_autoindex_/);
    expect(plan(sql.update.patch)).toMatch(/USING INDEX sqlite_autoindex_/);
    expect(plan(sql.rename)).toMatch(/USING INDEX sqlite_autoindex_/);
    expect(plan(sql.list)).toMatch(new RegExp(`USING INDEX ${table}_(owner|expires_at)`));
    expect(plan(sql.removeAll)).toMatch(new RegExp(`USING INDEX ${table}_(owner|expires_at)`));
    expect(plan(sql.prune)).toMatch(new RegExp(`USING (COVERING )?INDEX ${table}_expires_at`));
    expect(await rawSql(better)(`SELECT name FROM sqlite_master WHERE tbl_name = ? AND type = 'index' ORDER BY name`, table)).toEqual([
      { name: `sqlite_autoindex_${table}_1` },
      { name: `${table}_expires_at` },
      { name: `${table}_owner` },
    ]);
  });
});
