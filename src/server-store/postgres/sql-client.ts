/**
 * One way to run a parameterised statement, whichever Postgres client the app already has:
 * node-postgres (`pg`: a `Pool` or a `Client`, `query(text, params)` resolving `{ rows }`) or
 * postgres.js (`postgres()`: a tagged-template function with `unsafe(text, params)` resolving
 * the rows). The two are told apart by shape, so neither is a dependency of this package.
 *
 * @module
 */

/** A node-postgres `Pool` or `Client` (`pg` 8), as far as the store uses it. */
export interface NodePostgresLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A postgres.js `sql` (`postgres()` from `postgres` 3), as far as the store uses it. */
export interface PostgresJsLike {
  unsafe(text: string, params?: unknown[], options?: { prepare?: boolean }): PromiseLike<unknown[]>;
}

/** Any client a `PostgresStore` can talk through. */
export type PostgresClientLike = NodePostgresLike | PostgresJsLike;

/** A row as the store's statements return it: every column as text or a number. */
export type Row = Record<string, unknown>;

/**
 * Runs one statement and resolves its rows. Every parameter is a string or null: each statement casts its
 * parameters itself, so no client's type guessing decides how a value is sent. A statement without
 * parameters goes by the simple protocol on both clients, which lets `migrate()` send several
 * statements as one implicit transaction.
 */
export type RunStatement = (text: string, params: ReadonlyArray<string | null>) => Promise<Row[]>;

/** How to run statements through `client`, or undefined when it is neither client. */
export function statementRunner(client: unknown): RunStatement | undefined {
  const any = client as Partial<NodePostgresLike & PostgresJsLike> | null | undefined;
  // postgres.js first: its `sql` is a function, and it has no `query`.
  if (typeof any?.unsafe === "function") {
    // Prepared once per connection, a statement then takes one round trip; unprepared, postgres.js
    // first asks the server to describe it, every time (two). An app that turned preparing off
    // (`postgres({ prepare: true })`, for PgBouncer) keeps it off.
    return async (text, params) =>
      (await (params.length > 0 ? any.unsafe!(text, [...params], { prepare: true }) : any.unsafe!(text))) as Row[];
  }
  if (typeof any?.query === "function") {
    return async (text, params) => {
      // No parameters (an empty list): node-postgres sends the simple protocol.
      const result = await any.query!(text, [...params]);
      // Several statements in one simple query resolve an array of results: no rows to give.
      return (result.rows ?? []) as Row[];
    };
  }
  return undefined;
}
