/**
 * `SqliteStore`: sessions in one SQLite table, through whichever client the app has: a Cloudflare
 * D1 binding, `bun:sqlite`, `better-sqlite3`, `node:sqlite` or `@libsql/client` (Turso). The
 * cookie carries a signed id.
 *
 * A thin face over the server-store engine and its SQLite driver (src/server-store/sqlite/): one
 * statement to load a session, one to save it, none for a request without a valid signed cookie.
 *
 * @module
 */

import { SessionError, assertConfig } from "../errors.ts";
import { connect } from "../server-store/sqlite/connection.ts";
import type { SqliteDatabase } from "../server-store/sqlite/connection.ts";
import { SqliteDriver } from "../server-store/sqlite/driver.ts";
import { TABLE_NAME } from "../server-store/sqlite/statements.ts";
import { ServerStore } from "../server-store/server-store.ts";
import type { ServerStoreOptions } from "../server-store/server-store.ts";

export type { D1Like, LibsqlLike, SqliteDatabase, SyncSqliteLike } from "../server-store/sqlite/connection.ts";

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions extends ServerStoreOptions {
  /**
   * The database: a D1 binding (`env.DB`), a `bun:sqlite` `Database`, a `better-sqlite3`
   * `Database`, a `node:sqlite` `DatabaseSync`, or an `@libsql/client` `Client`.
   */
  db: SqliteDatabase;
  /** The table that holds the sessions: letters, digits and `_`, not starting with a digit. @default "web_sessions" */
  table?: string;
}

/**
 * Sessions in SQLite: one row per session. A save changes only the keys the request changed (a
 * JSON merge patch in one conditional statement), so concurrent requests keep each other's
 * updates, and it writes nothing once the session was destroyed or expired. With `owner`,
 * `list()` and `destroyAll()` are indexed queries. Call `migrate()` at startup and `prune()` now
 * and then. A failed statement (a locked, read-only or missing database or table) rejects with
 * `ERR_SESSION_STORE`.
 *
 * @example
 * ```ts
 * import { Database } from "bun:sqlite";
 * import { SqliteStore } from "web-sessions/sqlite";
 *
 * const store = new SqliteStore({ db: new Database("sessions.db"), secrets: process.env.SESSION_SECRET!, owner: "userId" });
 * await store.migrate();
 * setInterval(() => void store.prune(), 60 * 60 * 1000);
 * ```
 */
export class SqliteStore extends ServerStore {
  protected readonly driver: SqliteDriver;

  constructor(options: SqliteStoreOptions) {
    super(options, "SqliteStore");
    const { db, table = "web_sessions" } = options;
    assertConfig(typeof table === "string" && TABLE_NAME.test(table), "SqliteStore: table must match /^[A-Za-z_][A-Za-z0-9_]{0,62}$/");
    const connection = connect(db);
    if (!connection) {
      throw new SessionError(
        "ERR_SESSION_CONFIG",
        "SqliteStore: db must be a D1 binding, a bun:sqlite or better-sqlite3 Database, a node:sqlite DatabaseSync, or an @libsql/client Client",
      );
    }
    this.driver = new SqliteDriver(connection, table);
  }

  /**
   * Creates the table and its indexes if they are missing. Idempotent: call it at every start;
   * two processes calling it at once both succeed.
   */
  migrate(): Promise<void> {
    return this.driver.migrate();
  }

  /** Deletes the expired sessions and resolves how many. Reads never return an expired session, pruned or not. */
  prune(): Promise<number> {
    return this.driver.prune(Date.now());
  }
}
