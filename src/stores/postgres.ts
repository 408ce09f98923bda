/**
 * `PostgresStore`: sessions in a PostgreSQL table, for Node, Bun and Deno servers, through the
 * client the app already has: node-postgres (`pg`, a `Pool` or a `Client`) or postgres.js. The
 * cookie carries a signed id; the row holds the data.
 *
 * @module
 */

import { SessionError } from "../errors.ts";
import { PostgresDriver } from "../server-store/postgres/driver.ts";
import { statementRunner } from "../server-store/postgres/sql-client.ts";
import type { PostgresClientLike } from "../server-store/postgres/sql-client.ts";
import { statements } from "../server-store/postgres/statements.ts";
import { tableName } from "../server-store/postgres/table-name.ts";
import { ServerStore } from "../server-store/server-store.ts";
import type { ServerStoreOptions } from "../server-store/server-store.ts";

export type { NodePostgresLike, PostgresClientLike, PostgresJsLike } from "../server-store/postgres/sql-client.ts";

/** Options of {@link PostgresStore}. */
export interface PostgresStoreOptions extends ServerStoreOptions {
  /** A node-postgres `Pool` or `Client` (connected), or a postgres.js `sql` from `postgres()`. */
  client: PostgresClientLike;
  /**
   * The table, `name` or `schema.name` (each part letters, digits and `_`, not starting with a
   * digit, at most 63 characters). @default "web_sessions"
   */
  table?: string;
}

/**
 * Sessions in one Postgres table, a row per session. One statement to load a session, one to save
 * it (only the keys it changed, only if the row is still live, the owner in the same row), none
 * for a request without a valid signed cookie. `migrate()` creates the table; `prune()` deletes
 * expired rows, which reads never return either way. A refused connection or a failed statement
 * rejects with `ERR_SESSION_STORE`.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import { PostgresStore } from "web-sessions/postgres";
 *
 * const client = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = new PostgresStore({ client, secrets: process.env.SESSION_SECRET!, owner: "userId" });
 * await store.migrate();
 * setInterval(() => store.prune().catch(() => {}), 60 * 60 * 1000);
 * ```
 */
export class PostgresStore extends ServerStore {
  protected readonly driver: PostgresDriver;

  constructor(options: PostgresStoreOptions) {
    super(options, "PostgresStore");
    const { client, table = "web_sessions" } = options;
    const run = statementRunner(client);
    if (!run) throw new SessionError("ERR_SESSION_CONFIG", "PostgresStore: client must be a node-postgres Pool or Client, or a postgres.js sql");
    this.driver = new PostgresDriver(run, statements(tableName(table, "PostgresStore")));
  }

  /**
   * Creates the table and its indexes if they are missing. Idempotent and safe when several
   * processes run it at once (they take turns on an advisory lock): call it at every start.
   */
  migrate(): Promise<void> {
    return this.driver.migrate();
  }

  /** Deletes the expired sessions and resolves how many. Reads never return them meanwhile. */
  prune(): Promise<number> {
    return this.driver.prune();
  }
}
