// PostgresStore's conformance run under `deno test`, through node-postgres and postgres.js from
// node_modules. Clients stay open: Deno.test has no hook after the last test, and the process
// ends with the run.
import pg from "pg";
import postgres from "postgres";
import { storeConformance } from "../../../testing/index.ts";
import { denoRunner } from "../deno/runner.ts";
import { postgresFromEnv, postgresSubjects } from "../postgres-subjects.ts";

const { url, prefix } = postgresFromEnv(Deno.env.toObject());
const pool = new pg.Pool({ connectionString: url, max: 4 });
const sql = postgres(url, { max: 4, onnotice: () => {} });

const clients = { "pg Pool, Deno": () => pool, "postgres.js, Deno": () => sql };
for (const [label, subject] of Object.entries(postgresSubjects(prefix, clients))) {
  storeConformance(denoRunner, label, subject);
}
