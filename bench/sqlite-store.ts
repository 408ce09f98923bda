/**
 * SqliteStore per request, against the raw client running the same statements: the bench's
 * login-profile handler (read ten fields, add one to a counter, save), one client, request after
 * request, on a SQLite file in a temporary folder (D1: Miniflare's local D1). For each client:
 * statements per request, time in store.load + store.save (median, p90), and the raw client's time
 * for the same two statements (the read, the patch of the changed key) with the same arguments.
 *   npx tsx bench/sqlite-store.ts                          (better-sqlite3, @libsql/client, D1 from Node)
 *   npx bun bench/sqlite-store.ts                          (bun:sqlite)
 *   npx deno run -A bench/sqlite-store.ts                  (node:sqlite)
 * REQUESTS (default 1000) sets how many requests each client gets.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "../src/server-store/sqlite/connection.ts";
import type { SqliteDatabase } from "../src/server-store/sqlite/connection.ts";
import { sqliteStatements } from "../src/server-store/sqlite/statements.ts";
import { SqliteStore } from "../src/stores/sqlite.ts";
import { countingDb } from "../test/support/sqlite.ts";
import { SECRET } from "./fixture.ts";
import { Client, median } from "./harness.ts";
import { TimedStore } from "./redis-stores.ts";
import { webSessionsApp } from "./variants.ts";

// Every local file alike: write-ahead log, synced at checkpoints (better-sqlite3's own default).
const WAL = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

declare const Bun: unknown;
declare const Deno: unknown;

export interface SqliteResult {
  client: string;
  requests: number;
  /** Statements (round trips on D1 and libSQL) per request. */
  statements: number;
  storeMedianMs: number;
  storeP90Ms: number;
  /** The raw client running the same read and update, per request. */
  rawMedianMs: number;
  rawP90Ms: number;
  /** Milliseconds for the whole app.request(), median. */
  requestMedianMs: number;
}

interface Opened {
  client: string;
  db: SqliteDatabase;
  close(): Promise<void> | void;
}

/** The clients this runtime has, each on a file of its own in `dir`. */
async function clients(dir: string): Promise<Opened[]> {
  // Module names in variables: each runtime resolves only its own.
  const load = (name: string) => import(name);
  if (typeof Bun !== "undefined") {
    const { Database } = await load("bun:sqlite");
    const db = new Database(join(dir, "bun.db"));
    db.exec(WAL);
    return [{ client: "bun:sqlite (WAL)", db, close: () => db.close() }];
  }
  if (typeof Deno !== "undefined") {
    const { DatabaseSync } = await load("node:sqlite");
    const db = new DatabaseSync(join(dir, "node.db"));
    db.exec(WAL);
    return [{ client: "node:sqlite on Deno (WAL)", db, close: () => db.close() }];
  }
  const { default: Database } = await load("better-sqlite3");
  const { createClient } = await load("@libsql/client");
  const { Miniflare } = await load("miniflare");
  const better = new Database(join(dir, "better.db"));
  better.exec(WAL);
  const libsql = createClient({ url: `file:${join(dir, "libsql.db")}` });
  await libsql.executeMultiple(WAL);
  const mf = new Miniflare({ modules: true, script: "export default {}", compatibilityDate: "2025-09-01", d1Databases: ["DB"] });
  return [
    { client: "better-sqlite3 (WAL)", db: better, close: () => better.close() },
    { client: "@libsql/client, file: (WAL)", db: libsql, close: () => libsql.close() },
    { client: "D1 (Miniflare, from Node over loopback)", db: await mf.getD1Database("DB"), close: () => mf.dispose() },
  ];
}

async function measure({ client, db }: Opened, requests: number): Promise<SqliteResult> {
  const table = "bench_sessions";
  const counted = countingDb(db);
  const sessions = new SqliteStore({ db: counted.db, secrets: SECRET, table, owner: "userId" });
  await sessions.migrate();
  const store = new TimedStore(sessions);
  const app = new Client(client, webSessionsApp(store));
  for (let i = 0; i < 50; i++) await app.hit();
  const storeMs: number[] = [];
  const requestMs: number[] = [];
  const before = counted.statements();
  for (let i = 0; i < requests; i++) {
    store.spent = 0;
    const start = performance.now();
    await app.hit();
    requestMs.push(performance.now() - start);
    storeMs.push(store.spent);
  }
  const statements = (counted.statements() - before) / requests;

  // The same two statements straight through the client (connect() only picks the call shape).
  const raw = connect(db)!;
  const sql = sqliteStatements(table);
  const id = (await sessions.load("session", decodeURIComponent(app.cookie.split("=")[1]!.split(";")[0]!)))!.id;
  const rawMs: number[] = [];
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    const now = Date.now();
    const [row] = await raw.all({ sql: sql.read, args: [id, now] });
    const count = Number(JSON.parse(JSON.parse(row!["data"] as string).count as string)) + 1;
    await raw.run({ sql: sql.update.patch, args: [`{"count":"${count}"}`, "{}", 0, null, Number(row!["created_at"]), now + 86_400_000, now, id, now] });
    rawMs.push(performance.now() - start);
  }
  storeMs.sort((a, b) => a - b);
  rawMs.sort((a, b) => a - b);
  const p90 = (sorted: number[]) => sorted[Math.floor(sorted.length * 0.9)]!;
  return { client, requests, statements, storeMedianMs: median(storeMs), storeP90Ms: p90(storeMs), rawMedianMs: median(rawMs), rawP90Ms: p90(rawMs), requestMedianMs: median(requestMs) };
}

/** Measures every client of this runtime for `requests` requests each. */
export async function measureSqliteStore(requests: number): Promise<SqliteResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "sqlite-bench-"));
  const opened = await clients(dir);
  try {
    const results: SqliteResult[] = [];
    for (const each of opened) results.push(await measure(each, requests));
    return results;
  } finally {
    for (const each of opened) await each.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A markdown table row, as docs/stores/sqlite.md shows them. */
export function describeSqliteResult(r: SqliteResult): string {
  const ms = (value: number) => value.toFixed(3);
  return `| ${r.client} | ${r.statements.toFixed(2)} | ${ms(r.storeMedianMs)} | ${ms(r.storeP90Ms)} | ${ms(r.rawMedianMs)} | ${ms(r.rawP90Ms)} |`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const requests = Number(process.env.REQUESTS ?? 1000);
  console.log(`| client | statements per request | store load+save median ms | p90 ms | raw client, same statements, median ms | p90 ms |`);
  console.log(`|---|---:|---:|---:|---:|---:|`);
  for (const result of await measureSqliteStore(requests)) console.log(describeSqliteResult(result));
}
