/**
 * The five SQLite clients `SqliteStore` takes, told apart by shape and seen through one small
 * interface: run a statement (how many rows it changed), query rows, run a few statements in one
 * round trip. Only `?` placeholders are used: every client binds them the same way, and no value
 * ever reaches SQL text.
 *
 * - A D1 binding (`env.DB`): async, `prepare(sql).bind(...).run()/all()`, `batch([...])`.
 * - `@libsql/client`: async, `execute({ sql, args })`, `batch([...], "write")`.
 * - `better-sqlite3`, `bun:sqlite`, `node:sqlite`: synchronous, `prepare(sql).run(...)/all(...)`.
 *
 * @module
 */

/** What a statement binds: the store only binds text, numbers and NULL. */
export type SqlValue = string | number | null;

/** One statement and its arguments, one per `?`. */
export interface SqlStatement {
  sql: string;
  args: readonly SqlValue[];
}

/** A row as the clients hand it back: columns by name. */
export type SqlRow = Record<string, unknown>;

/** What the SQLite driver needs of a database. */
export interface SqlConnection {
  /** Runs a statement that writes; resolves how many rows it changed. */
  run(statement: SqlStatement): Promise<number>;
  /** Runs a query; resolves its rows. */
  all(statement: SqlStatement): Promise<SqlRow[]>;
  /** Runs statements one after the other in one round trip (D1 and libSQL batches). */
  batch(statements: readonly SqlStatement[]): Promise<void>;
}

/** A D1 binding (`env.DB`) or a D1 session (`env.DB.withSession()`), as far as the store uses it. */
export interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): unknown };
  batch(statements: never[]): Promise<unknown[]>;
}

/** An `@libsql/client` `Client` (`createClient({ url })`), local file or remote (Turso). */
export interface LibsqlLike {
  execute(statement: { sql: string; args: SqlValue[] }): Promise<{ rows: unknown[]; rowsAffected: number }>;
  batch(statements: Array<{ sql: string; args: SqlValue[] }>, mode: "write"): Promise<unknown[]>;
  readonly protocol?: string;
}

/** A synchronous client: `better-sqlite3`'s and `bun:sqlite`'s `Database`, `node:sqlite`'s `DatabaseSync`. */
export interface SyncSqliteLike {
  prepare(sql: string): object;
  exec(sql: string): unknown;
}

/** Any database `SqliteStore` takes. */
export type SqliteDatabase = D1Like | LibsqlLike | SyncSqliteLike;

type D1Statement = { run(): Promise<{ meta: { changes: number } }>; all(): Promise<{ results: SqlRow[] }> };
type SyncStatement = { run(...args: SqlValue[]): { changes: number | bigint }; all(...args: SqlValue[]): SqlRow[] };

/**
 * How long a local database waits for another connection's write lock before it gives up with
 * SQLITE_BUSY (then `ERR_SESSION_STORE`). Applied only where the connection has none of its own.
 */
export const BUSY_TIMEOUT_MS = 5000;

/** The connection over `db`, or undefined when `db` is none of the clients above. */
export function connect(db: unknown): SqlConnection | undefined {
  if (db === null || typeof db !== "object") return undefined;
  const any = db as Partial<Record<"execute" | "batch" | "prepare" | "exec", unknown>>;
  if (typeof any.execute === "function" && typeof any.batch === "function") return libsqlConnection(db as LibsqlLike);
  if (typeof any.prepare === "function" && typeof any.batch === "function") return d1Connection(db as D1Like);
  if (typeof any.prepare === "function" && typeof any.exec === "function") return syncConnection(db as SyncSqliteLike);
  return undefined;
}

function d1Connection(db: D1Like): SqlConnection {
  const bound = ({ sql, args }: SqlStatement) => db.prepare(sql).bind(...args) as D1Statement;
  return {
    run: async (statement) => (await bound(statement).run()).meta.changes,
    all: async (statement) => (await bound(statement).all()).results,
    batch: async (statements) => void (await db.batch(statements.map(bound) as never[])),
  };
}

function libsqlConnection(client: LibsqlLike): SqlConnection {
  // A local file waits for another process's lock as the synchronous clients do; a remote
  // database (Turso) handles that on its server and takes no such pragma.
  let ready = client.protocol !== "file";
  const prepare = async () => {
    if (ready) return;
    const { rows } = await client.execute({ sql: "PRAGMA busy_timeout", args: [] });
    if (!hasBusyTimeout(rows as SqlRow[])) await client.execute({ sql: SET_BUSY_TIMEOUT, args: [] });
    ready = true;
  };
  const execute = async ({ sql, args }: SqlStatement) => {
    await prepare();
    return client.execute({ sql, args: [...args] });
  };
  return {
    run: async (statement) => (await execute(statement)).rowsAffected,
    all: async (statement) => (await execute(statement)).rows as SqlRow[],
    batch: async (statements) => {
      await prepare();
      await client.batch(
        statements.map(({ sql, args }) => ({ sql, args: [...args] })),
        "write",
      );
    },
  };
}

function syncConnection(db: SyncSqliteLike): SqlConnection {
  // Preparing is the costly part of a statement on these clients: each text is prepared once.
  const prepared = new Map<string, SyncStatement>();
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (!found) prepared.set(sql, (found = db.prepare(sql) as SyncStatement));
    return found;
  };
  let ready = false;
  const prepare = (sql: string) => {
    if (!ready) {
      if (!hasBusyTimeout(statement("PRAGMA busy_timeout").all())) statement(SET_BUSY_TIMEOUT).all();
      ready = true;
    }
    return statement(sql);
  };
  // Each call runs without an await inside, so it is atomic within this process; the statements
  // are single and conditional, so two processes on one file stay correct too.
  return {
    run: async ({ sql, args }) => Number(prepare(sql).run(...args).changes),
    all: async ({ sql, args }) => prepare(sql).all(...args),
    batch: async (statements) => {
      for (const { sql, args } of statements) prepare(sql).run(...args);
    },
  };
}

/**
 * Whether the connection already waits for locks: `node:sqlite`, `bun:sqlite` and libSQL start at
 * 0 and fail at once while another process holds the write lock; `better-sqlite3` starts at 5 s.
 */
function hasBusyTimeout(rows: SqlRow[]): boolean {
  return Number(rows[0]?.["timeout"] ?? 0) > 0;
}

const SET_BUSY_TIMEOUT = `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`;
