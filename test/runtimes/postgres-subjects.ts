/**
 * PostgresStore's conformance subjects under Bun and Deno: one table per client, migrated before
 * the first store is made. The spawning vitest test (test/postgres-runtimes.test.ts) passes the
 * test database's URL and a table prefix, and drops the tables when the child is done.
 */
import type { StoreUnderTest } from "../../testing/index.ts";
import { PostgresStore } from "../../src/stores/postgres.ts";
import type { PostgresClientLike } from "../../src/stores/postgres.ts";
import { SECRET } from "../support/browser.ts";

/** The environment variables that carry the database and the table prefix to a child process. */
export const POSTGRES_ENV = { url: "WEB_SESSIONS_DATABASE_URL", prefix: "WEB_SESSIONS_TABLE_PREFIX" } as const;

/** The URL and table prefix from a runtime's environment, or an error that says what is missing. */
export function postgresFromEnv(env: Record<string, string | undefined>): { url: string; prefix: string } {
  const url = env[POSTGRES_ENV.url];
  const prefix = env[POSTGRES_ENV.prefix];
  if (!url || !prefix) throw new Error(`run through test/postgres-runtimes.test.ts, which sets ${POSTGRES_ENV.url} and ${POSTGRES_ENV.prefix}`);
  return { url, prefix };
}

/** A conformance subject per client, labelled `PostgresStore (<label>)`. */
export function postgresSubjects(prefix: string, clients: Record<string, () => PostgresClientLike>): Record<string, StoreUnderTest> {
  const all: Record<string, StoreUnderTest> = {};
  Object.entries(clients).forEach(([label, client], n) => {
    const table = `${prefix}_${n}`;
    let migrated: Promise<void> | undefined;
    all[`PostgresStore (${label})`] = {
      make: async (secrets = [SECRET], options) => {
        migrated ??= new PostgresStore({ client: client(), secrets: SECRET, table }).migrate();
        await migrated;
        return new PostgresStore({ client: client(), secrets, table, ...options });
      },
      serverSide: true,
      sharedBackend: true,
    };
  });
  return all;
}
