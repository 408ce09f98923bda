// SqliteStore on a real D1 binding reached from Node (Miniflare's local D1, each statement an HTTP
// round trip into workerd): the conformance suite and SqliteStore's own cases; then two Node
// processes on one SQLite file (better-sqlite3), and the bench script's rows. Out of Stryker's
// reach (workerd and child processes), so vitest.mutation.config.ts leaves this file out.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Hono } from "hono";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getSession, sessions } from "../../adapters/hono.ts";
import { measureSqliteStore } from "../../bench/sqlite-store.ts";
import { SqliteStore } from "../../src/stores/sqlite.ts";
import type { SqliteDatabase } from "../../src/stores/sqlite.ts";
import { describeStoreConformance } from "../conformance.ts";
import { freshTable, sqliteCases, sqliteStore } from "../sqlite-cases.ts";
import { SECRET, TestBrowser } from "../support/browser.ts";
import { REPO } from "../support/runtime.ts";

// Each statement is an HTTP round trip into workerd: the suite's 100 concurrent sessions take
// seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const dir = mkdtempSync(join(tmpdir(), "web-sessions-sqlite-d1-"));
const mf = new Miniflare({ modules: true, script: "export default {}", compatibilityDate: "2025-09-01", d1Databases: ["DB"] });
const d1 = (await mf.getD1Database("DB")) as unknown as SqliteDatabase;
afterAll(async () => {
  await mf.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const table = freshTable();
describeStoreConformance("SqliteStore (D1 binding from Miniflare)", {
  make: (secrets = [SECRET], options) => sqliteStore(d1, { table, secrets, ...options }),
  serverSide: true,
  sharedBackend: true,
});
describe("SqliteStore (D1 binding from Miniflare)", () => sqliteCases(it, () => d1));

/** A counter app over `store`. */
function counter(store: SqliteStore): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/", async (c) => {
    getSession(c).set("n", ((getSession(c).get("n") as number) ?? 0) + 1);
    await getSession(c).save();
    return c.json(getSession(c).get("n"));
  });
  return app;
}

describe("SqliteStore on one file from two processes", () => {
  it("both create the table at once, then their concurrent saves to one session keep every key (busy timeout, conditional statements)", async () => {
    const file = join(dir, "shared.db");
    const table = freshTable();
    const run = (cookie: string, prefix: string, count: number) =>
      new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ["--import", "tsx", join(REPO, "test/support/sqlite-process.ts"), file, table, cookie, prefix, String(count)],
          { cwd: REPO, timeout: 60_000 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        );
      });
    // Two processes starting at once, the table missing: both migrate() and succeed.
    expect(await Promise.all([run("", "none", 0), run("", "none", 0)])).toEqual(["done\n", "done\n"]);
    const db = new Database(file);
    try {
      const store = new SqliteStore({ db, secrets: [SECRET], table });
      const b = new TestBrowser((request) => counter(store).fetch(request));
      await b.json("/", { method: "POST" });
      expect(await Promise.all([run(b.cookieHeader(), "a", 25), run(b.cookieHeader(), "b", 25)])).toEqual(["done\n", "done\n"]);
      const stored = await store.load("session", b.cookies.get("session")!);
      expect([...stored!.data.keys()].sort()).toEqual(["n", ...Array.from({ length: 25 }, (_, i) => [`a${i}`, `b${i}`]).flat()].sort());
    } finally {
      db.close();
    }
  }, 90_000);
});

describe("bench/sqlite-store.ts", () => {
  it("measures every Node client: two statements a request, and times for the store and the raw client", async () => {
    const results = await measureSqliteStore(5);
    expect(results.map(({ client }) => client)).toEqual(["better-sqlite3 (WAL)", "@libsql/client, file: (WAL)", "D1 (Miniflare, from Node over loopback)"]);
    for (const result of results) {
      expect(result.statements).toBe(2);
      for (const ms of [result.storeMedianMs, result.storeP90Ms, result.rawMedianMs, result.rawP90Ms, result.requestMedianMs]) expect(ms).toBeGreaterThan(0);
    }
    // It starts workerd and warms three clients up: seconds alone, more beside other test files.
  }, 90_000);
});
