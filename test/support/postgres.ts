/**
 * A real PostgreSQL for the tests: `DATABASE_URL` if set, else the machine's server on
 * 127.0.0.1:5432 (user postgres; `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD` override). The tests
 * work in a database of their own, `web_sessions_test`, created if missing, and each test file in
 * tables of its own (`uniqueTable()`), dropped when it ends. Anything else fails with a message
 * that says how to get PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

const HOW_TO_GET_POSTGRES =
  "Tests need a real PostgreSQL: set DATABASE_URL, or run one on 127.0.0.1:5432 with user postgres " +
  "(Debian/Ubuntu: apt-get install -y postgresql, then pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; " +
  "macOS: brew install postgresql && brew services start postgresql; Docker: docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres).";

export const TEST_DATABASE = "web_sessions_test";

let shared: Promise<string> | undefined;

/** The connection string of the tests' database; checked (and the database created) once per process. */
export function ensurePostgres(): Promise<string> {
  shared ??= findPostgres();
  return shared;
}

/** A table name no other test file or run uses. */
export function uniqueTable(label: string): string {
  return `ws_${label}_${randomBytes(4).toString("hex")}`;
}

async function findPostgres(): Promise<string> {
  const server = new URL(process.env.DATABASE_URL ?? "postgres://localhost");
  if (!process.env.DATABASE_URL) {
    server.hostname = process.env.PGHOST ?? "127.0.0.1";
    server.port = process.env.PGPORT ?? "5432";
    server.username = process.env.PGUSER ?? "postgres";
    if (process.env.PGPASSWORD) server.password = process.env.PGPASSWORD;
    server.pathname = "/postgres";
  }
  const admin = new pg.Client({ connectionString: server.toString(), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${server.host} does not answer (${(error as Error).message}). ${HOW_TO_GET_POSTGRES}`);
  }
  try {
    const { rows } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [TEST_DATABASE]);
    if (rows.length === 0) {
      // Two test files may create it at once: the loser's duplicate is as good as its own.
      await admin.query(`CREATE DATABASE ${TEST_DATABASE}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04" && error.code !== "23505") throw error;
      });
    }
  } finally {
    await admin.end();
  }
  const test = new URL(server);
  test.pathname = `/${TEST_DATABASE}`;
  return test.toString();
}
