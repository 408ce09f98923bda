// PostgresStore's conformance run under `bun test`, through node-postgres, postgres.js and Bun's
// own SQL client (`new SQL(url)` from "bun": a tagged template with `unsafe(text, params)`, the
// shape of postgres.js).
import { SQL } from "bun";
import { afterAll, describe, expect, it } from "bun:test";
import pg from "pg";
import postgres from "postgres";
import { storeConformance } from "../../../testing/index.ts";
import { postgresFromEnv, postgresSubjects } from "../postgres-subjects.ts";

const { url, prefix } = postgresFromEnv(Bun.env);
const pool = new pg.Pool({ connectionString: url, max: 4 });
const sql = postgres(url, { max: 4, onnotice: () => {} });
const bunSql = new SQL(url);
afterAll(async () => {
  await pool.end();
  await sql.end();
  await bunSql.close();
});

const clients = { "pg Pool, Bun": () => pool, "postgres.js, Bun": () => sql, "Bun SQL": () => bunSql };
for (const [label, subject] of Object.entries(postgresSubjects(prefix, clients))) {
  storeConformance({ describe, it, expect }, label, subject);
}
