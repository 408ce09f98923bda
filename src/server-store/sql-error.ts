/**
 * What of a SQL client's error may travel as a `SessionError`'s cause.
 *
 * @module
 */

/**
 * The error with only its name, message and string `code` (a Postgres SQLSTATE; SQLITE_BUSY,
 * SQLITE_READONLY, ...): node-postgres and postgres.js put the failing row (`detail`), a statement's
 * parameters or its position on their errors, and SQLite clients may keep the arguments, session
 * data included.
 */
export function redactSqlError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const copy = new Error(error.message) as Error & { code?: string };
  copy.name = error.name;
  const { code } = error as { code?: unknown };
  if (typeof code === "string") copy.code = code;
  return copy;
}
