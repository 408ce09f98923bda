/**
 * PostgresStore's cost per request against the raw client running the same statements, over
 * node-postgres (a Pool and a Client) and postgres.js, on the machine's PostgreSQL. Each request is
 * the bench's counter route (load the 10-field profile, add one to `count`, save). The raw rows send
 * the store's own load and update statements with the parameters the store sends for that change,
 * so the difference is what the store adds (signed ids, plans, JSON). One more store row runs with
 * `synchronous_commit` off for its connection, and one more raw row runs the other table design of
 * the issue, a row per key, for the same load and save.
 *
 * Round trips are counted on the wire by a TCP proxy in front of PostgreSQL (both the store and
 * the raw rows go through it); subjects take turns request by request, so each sees the same load.
 *
 * Run: `npx tsx bench/postgres-store.ts` (REQUESTS=400 by default; DATABASE_URL or 127.0.0.1:5432).
 */

import { fileURLToPath } from "node:url";
import pg from "pg";
import postgres from "postgres";
import { newSessionId } from "../src/codec.ts";
import { statements } from "../src/server-store/postgres/statements.ts";
import { tableName } from "../src/server-store/postgres/table-name.ts";
import { PostgresStore } from "../src/stores/postgres.ts";
import type { PostgresClientLike } from "../src/stores/postgres.ts";
import { ensurePostgres, uniqueTable } from "../test/support/postgres.ts";
import { startRoundTripProxy } from "../test/support/round-trip-proxy.ts";
import { LOGIN, SECRET } from "./fixture.ts";
import { Client, median } from "./harness.ts";
import { TimedStore } from "./redis-stores.ts";
import { webSessionsApp } from "./variants.ts";

export interface PostgresResult {
  label: string;
  requests: number;
  roundTrips: number;
  loadSaveMedianMs: number;
  loadSaveP90Ms: number;
  /** The whole app.request(), for the store rows; the two statements, for the raw rows. */
  requestMedianMs: number;
}

type Run = (text: string, params: Array<string | null>) => Promise<unknown>;

interface Subject {
  label: string;
  /** One request; resolves the ms spent in load + save. */
  hit(): Promise<number>;
  loadSave: number[];
  whole: number[];
  roundTrips: number;
}

export async function measurePostgresStore(requests: number): Promise<PostgresResult[]> {
  const url = new URL(await ensurePostgres());
  const proxy = await startRoundTripProxy({ host: url.hostname, port: Number(url.port || 5432) });
  const through = new URL(url);
  through.hostname = "127.0.0.1";
  through.port = String(proxy.port);
  const pool = new pg.Pool({ connectionString: through.toString(), max: 1 });
  // The same store with commits that do not wait for the WAL flush (see docs/stores/postgres.md).
  const asyncCommit = new pg.Pool({ connectionString: through.toString(), max: 1, options: "-c synchronous_commit=off" });
  const client = new pg.Client({ connectionString: through.toString() });
  await client.connect();
  const sql = postgres(through.toString(), { max: 1, onnotice: () => {} });
  const table = uniqueTable("bench");
  const kv = uniqueTable("bench_kv");
  const runners: Array<[string, PostgresClientLike, Run]> = [
    ["pg Pool", pool, (text, params) => pool.query(text, params)],
    ["pg Client", client, (text, params) => client.query(text, params)],
    ["postgres.js", sql, (text, params) => sql.unsafe(text, params as string[], { prepare: true })],
  ];
  try {
    await new PostgresStore({ client: pool, secrets: SECRET, table }).migrate();
    await pool.query(ROW_PER_KEY_SCHEMA(kv));
    const subjects: Subject[] = [];
    for (const [label, subject, run] of runners) {
      subjects.push(storeSubject(`PostgresStore (${label})`, new PostgresStore({ client: subject, secrets: SECRET, table, owner: "userId" })));
      subjects.push(await rawSubject(`raw ${label}, same statements`, run, table));
    }
    subjects.push(storeSubject("PostgresStore (pg Pool, synchronous_commit off)", new PostgresStore({ client: asyncCommit, secrets: SECRET, table, owner: "userId" })));
    subjects.push(await rowPerKeySubject("raw pg Pool, a row per key instead", (text, params) => pool.query(text, params), kv));
    for (const each of subjects) for (let i = 0; i < 30; i++) await each.hit();
    for (let i = 0; i < requests; i++) {
      for (const each of subjects) {
        proxy.reset();
        const start = performance.now();
        each.loadSave.push(await each.hit());
        each.whole.push(performance.now() - start);
        each.roundTrips += proxy.roundTrips;
      }
    }
    return subjects.map((each) => {
      const sorted = [...each.loadSave].sort((a, b) => a - b);
      return {
        label: each.label,
        requests,
        roundTrips: each.roundTrips / requests,
        loadSaveMedianMs: median(sorted),
        loadSaveP90Ms: sorted[Math.floor(requests * 0.9)]!,
        requestMedianMs: median(each.whole),
      };
    });
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}, ${kv}_values, ${kv}`).catch(() => {});
    await client.end();
    await sql.end();
    await pool.end();
    await asyncCommit.end();
    await proxy.close();
  }
}

/** The counter route through the store: a session per subject, kept across requests. */
function storeSubject(label: string, store: PostgresStore): Subject {
  const timed = new TimedStore(store);
  const browser = new Client(label, webSessionsApp(timed));
  return {
    label,
    loadSave: [],
    whole: [],
    roundTrips: 0,
    hit: async () => {
      timed.spent = 0;
      await browser.hit();
      return timed.spent;
    },
  };
}

/** The store's own statements, sent by hand: the load, then the update of `count`. */
async function rawSubject(label: string, run: Run, table: string): Promise<Subject> {
  const sql = statements(tableName(table, "bench"));
  const id = newSessionId();
  const now = Date.now();
  const profile = JSON.stringify(Object.fromEntries(Object.entries({ ...LOGIN, count: 0 }).map(([key, value]) => [key, JSON.stringify(value)])));
  await run(sql.insert, [id, String(now), "false", "[]", profile, "[]", "{}", "true", String(LOGIN.userId), String(now), String(now + 86_400_000)]);
  let count = 0;
  return byHand(label, async (at) => {
    await run(sql.load, [id, at]);
    const values = JSON.stringify({ count: JSON.stringify(++count) });
    await run(sql.update, [id, at, "false", "[]", values, "[]", "{}", "false", null, String(now), String(Date.now() + 86_400_000)]);
  });
}

/** A subject whose request is only `statements`, sent by hand at time `at`: what they take, timed. */
function byHand(label: string, statements: (at: string) => Promise<void>): Subject {
  return {
    label,
    loadSave: [],
    whole: [],
    roundTrips: 0,
    hit: async () => {
      const start = performance.now();
      await statements(String(Date.now()));
      return performance.now() - start;
    },
  };
}

const ROW_PER_KEY_SCHEMA = (t: string) => `
CREATE TABLE ${t} (id text PRIMARY KEY, owner text, created_at bigint NOT NULL, expires_at bigint NOT NULL, last_seen_at bigint NOT NULL);
CREATE TABLE ${t}_values (id text NOT NULL REFERENCES ${t} ON DELETE CASCADE, key text NOT NULL, json text NOT NULL, PRIMARY KEY (id, key));`;

/** The same request over the other design: a session row and a row per value, one statement each way. */
async function rowPerKeySubject(label: string, run: Run, t: string): Promise<Subject> {
  const id = newSessionId();
  const now = Date.now();
  await run(`INSERT INTO ${t} VALUES ($1, $2, $3::text::bigint, $4::text::bigint, $3::text::bigint)`, [id, String(LOGIN.userId), String(now), String(now + 86_400_000)]);
  for (const [key, value] of Object.entries({ ...LOGIN, count: 0 })) {
    await run(`INSERT INTO ${t}_values VALUES ($1, $2, $3)`, [id, key, JSON.stringify(value)]);
  }
  const load = `SELECT s.created_at, s.expires_at, v.key, v.json FROM ${t} s LEFT JOIN ${t}_values v ON v.id = s.id WHERE s.id = $1 AND s.expires_at > $2::text::bigint`;
  const save = `
WITH s AS (UPDATE ${t} SET expires_at = $3::text::bigint, last_seen_at = $2::text::bigint WHERE id = $1 AND expires_at > $2::text::bigint RETURNING id),
d AS (DELETE FROM ${t}_values WHERE id IN (SELECT id FROM s) AND key IN (SELECT jsonb_array_elements_text($4::text::jsonb))),
u AS (INSERT INTO ${t}_values (id, key, json) SELECT s.id, e.key, e.value FROM s, jsonb_each_text($5::text::jsonb) e
      ON CONFLICT (id, key) DO UPDATE SET json = excluded.json)
SELECT count(*) AS written FROM s`;
  let count = 0;
  return byHand(label, async (at) => {
    await run(load, [id, at]);
    await run(save, [id, at, String(Date.now() + 86_400_000), "[]", JSON.stringify({ count: JSON.stringify(++count) })]);
  });
}

/** The results as a Markdown table. */
export function postgresTable(results: readonly PostgresResult[]): string {
  const ms = (value: number) => value.toFixed(2);
  return [
    "| subject | round trips per request | load + save, median ms | load + save, p90 ms | whole request, median ms |",
    "|---|--:|--:|--:|--:|",
    ...results.map((r) => `| ${r.label} | ${r.roundTrips.toFixed(2)} | ${ms(r.loadSaveMedianMs)} | ${ms(r.loadSaveP90Ms)} | ${ms(r.requestMedianMs)} |`),
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const requests = Number(process.env.REQUESTS ?? 400);
  const results = await measurePostgresStore(requests);
  console.log(`${requests} requests per subject, ${new Date().toISOString()}`);
  console.log(postgresTable(results));
}
