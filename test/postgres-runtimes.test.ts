// PostgresStore under the real Bun (`bun test`: node-postgres, postgres.js, Bun's SQL) and the real
// Deno (`deno test`: node-postgres, postgres.js), against the machine's PostgreSQL: every case of
// the conformance suite, each client on a table of its own, dropped here afterwards.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { storeConformance } from "../testing/index.ts";
import { nodeExpect } from "./support/assert.ts";
import { ensurePostgres } from "./support/postgres.ts";
import { REPO, binary, run, versionOf } from "./support/runtime.ts";
import { POSTGRES_ENV, postgresSubjects } from "./runtimes/postgres-subjects.ts";

const url = await ensurePostgres();
const prefix = `ws_rt_${randomBytes(4).toString("hex")}`;
afterAll(async () => {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query("SELECT schemaname, tablename FROM pg_tables WHERE tablename LIKE $1", [`${prefix}%`]);
    for (const { schemaname, tablename } of rows) await admin.query(`DROP TABLE "${schemaname}"."${tablename}"`);
  } finally {
    await admin.end();
  }
});

/** How many cases the suite declares for `labels` (counted only: no store is made). */
function caseCount(labels: string[], runtimePrefix: string): number {
  let count = 0;
  const runner = { describe: (_name: string, body: () => void) => body(), it: () => void count++, expect: nodeExpect };
  const clients = Object.fromEntries(labels.map((label) => [label, () => ({ query: async () => ({ rows: [] }) })]));
  for (const [label, subject] of Object.entries(postgresSubjects(runtimePrefix, clients))) storeConformance(runner, label, subject);
  return count;
}

describe(`PostgresStore under Bun (${versionOf("bun")})`, () => {
  it("passes the conformance suite through node-postgres, postgres.js and Bun's SQL", async () => {
    const env = { [POSTGRES_ENV.url]: url, [POSTGRES_ENV.prefix]: `${prefix}_bun` };
    const { code, output } = await run(binary("bun"), ["test", "./test/runtimes/bun-postgres/"], env);
    const passed = /^\s*(\d+) pass$/m.exec(output);
    const failed = /^\s*(\d+) fail$/m.exec(output);
    expect(passed && failed, output).not.toBeNull();
    expect({ code, passed: Number(passed![1]), failed: Number(failed![1]) }, output).toEqual({
      code: 0,
      passed: caseCount(["pg Pool, Bun", "postgres.js, Bun", "Bun SQL"], prefix),
      failed: 0,
    });
    expect(output).toContain("PostgresStore (Bun SQL): store conformance");
  }, 120_000);
});

describe(`PostgresStore under Deno (${versionOf("deno")})`, () => {
  it("passes the conformance suite through node-postgres and postgres.js, type-checked against Deno's types", async () => {
    const env = { [POSTGRES_ENV.url]: url, [POSTGRES_ENV.prefix]: `${prefix}_deno`, DENO_DIR: join(REPO, ".deno") };
    const { code, output } = await run(binary("deno"), ["test", "-A", "test/runtimes/deno-postgres/"], env);
    const summary = /^(ok|FAILED) \| (\d+) passed \| (\d+) failed/m.exec(output);
    expect(summary, output).not.toBeNull();
    expect({ code, passed: Number(summary![2]), failed: Number(summary![3]) }, output).toEqual({
      code: 0,
      passed: caseCount(["pg Pool, Deno", "postgres.js, Deno"], prefix),
      failed: 0,
    });
    expect(output).toContain("PostgresStore (postgres.js, Deno): store conformance");
  }, 120_000);
});
