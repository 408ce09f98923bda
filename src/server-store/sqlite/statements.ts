/**
 * The SQL of `SqliteStore`, each operation one statement, named, with the guarantee it keeps.
 *
 * One table, one row per session: `data` is a JSON object of data key → the value's JSON text, and
 * `flashes` one of flash id → [key, JSON text]. A save sends the changes as a JSON merge patch
 * (`json_patch`, RFC 7396: a member sets its key, `null` deletes it), so keys are plain object
 * members, never JSON paths (`a.b`, `$.c`, `x[0]` are keys like any other), and values keep the
 * exact text `encodeJson` made (`"123"` stays a string).
 *
 * Every save is one statement, so it is atomic on every client without a transaction: D1 has no
 * interactive ones, and a single conditional statement also keeps two processes on one file
 * correct. Times are ms since the epoch, `now` always a parameter (never SQLite's clock).
 *
 * @module
 */

/** Names a table may have: checked before it reaches SQL text (the only text that is not a parameter). */
export const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Every statement of the store over one table. */
export interface SqliteStatements {
  /** The table and its indexes, each `IF NOT EXISTS`: idempotent, and safe when two processes race (DDL takes the write lock). */
  schema: string[];
  /** Args: id, now. A row is returned only while live: an expired one is never read, pruned or not. */
  read: string;
  /**
   * A save of a session the store held (`mustExist`). Args: see {@link saveArgs}, then id, now.
   * Changes a row only if it is still live: a destroyed or expired session is never written again.
   */
  update: { patch: string; whole: string };
  /**
   * A save after `regenerate()`: the old row moves to the new id in one UPDATE of its key, only
   * if the old one is still live. Args: new id, see {@link saveArgs}, then old id, now.
   */
  rename: string;
  /**
   * A save of a new session: inserts it, or (a second save of one request, racing its first)
   * merges into the live row; an expired row under the id counts as none. Args: id, data, flashes,
   * owner, created, expires, now (the insert), then now, data, now, flashes, keep owner, now (the merge).
   */
  upsert: { patch: string; whole: string };
  /** Args: id. */
  remove: string;
  /**
   * Args: at, id, at, stale before. A request used the session without saving it: sets only its
   * last-seen time, only while the row is live, so a destroyed session is never brought back, and
   * only over a time not after "stale before", so of requests racing to touch it, one writes.
   */
  touch: string;
  /** Args: whether to return the data (1 or 0: the store's listed option), owner, now. Uses the owner index. */
  list: string;
  /** Args: owner, except, now. Deletes the owner's live sessions, counted by the changes. */
  removeAll: string;
  /** Args: now, limit. Deletes up to `limit` expired rows (bounded, so one call never holds the lock long). */
  prune: string;
}

/**
 * The args a save binds after its first: data patch, flashes patch, whether it sets the owner (1
 * or 0), the owner, created, expires, last seen.
 */
export type SaveArgs = [data: string, flashes: string, setsOwner: number, owner: string | null, createdAt: number, expiresAt: number, now: number];

export function sqliteStatements(table: string): SqliteStatements {
  const t = `"${table}"`;
  const set = (base: (column: string) => string) =>
    `data = json_patch(${base("data")}, ?), flashes = json_patch(${base("flashes")}, ?),
     owner = CASE WHEN ? THEN ? ELSE owner END, created_at = ?, expires_at = ?, last_seen_at = ?`;
  const kept = (column: string) => column;
  const empty = () => "'{}'";
  const update = (base: (column: string) => string) => `UPDATE ${t} SET ${set(base)} WHERE id = ? AND expires_at > ?`;
  // A whole save (clear(), regenerate()) merges into nothing: "AND 0" keeps the stored columns out
  // while the statement keeps the same placeholders as a patch, so the driver binds both alike.
  const upsert = (whole: boolean) =>
    `INSERT INTO ${t} (id, data, flashes, owner, created_at, expires_at, last_seen_at)
     VALUES (?, json_patch('{}', ?), json_patch('{}', ?), ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET
       data = json_patch(CASE WHEN expires_at > ? ${whole ? "AND 0 " : ""}THEN data ELSE '{}' END, ?),
       flashes = json_patch(CASE WHEN expires_at > ? ${whole ? "AND 0 " : ""}THEN flashes ELSE '{}' END, ?),
       owner = CASE WHEN ? = 0 AND expires_at > ? THEN owner ELSE excluded.owner END,
       created_at = excluded.created_at, expires_at = excluded.expires_at, last_seen_at = excluded.last_seen_at`;
  return {
    schema: [
      `CREATE TABLE IF NOT EXISTS ${t} (
         id TEXT PRIMARY KEY NOT NULL,
         data TEXT NOT NULL,
         flashes TEXT NOT NULL,
         owner TEXT,
         created_at INTEGER NOT NULL,
         expires_at INTEGER NOT NULL,
         last_seen_at INTEGER NOT NULL
       )`,
      `CREATE INDEX IF NOT EXISTS "${table}_owner" ON ${t} (owner)`,
      `CREATE INDEX IF NOT EXISTS "${table}_expires_at" ON ${t} (expires_at)`,
    ],
    read: `SELECT data, flashes, created_at, expires_at, last_seen_at FROM ${t} WHERE id = ? AND expires_at > ?`,
    update: { patch: update(kept), whole: update(empty) },
    rename: `UPDATE ${t} SET id = ?, ${set(empty)} WHERE id = ? AND expires_at > ?`,
    upsert: { patch: upsert(false), whole: upsert(true) },
    remove: `DELETE FROM ${t} WHERE id = ?`,
    touch: `UPDATE ${t} SET last_seen_at = ? WHERE id = ? AND expires_at > ? AND last_seen_at <= ?`,
    list: `SELECT id, created_at, expires_at, last_seen_at, CASE WHEN ? THEN data END AS data FROM ${t} WHERE owner = ? AND expires_at > ?`,
    removeAll: `DELETE FROM ${t} WHERE owner = ? AND id <> ? AND expires_at > ?`,
    prune: `DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t} WHERE expires_at <= ? LIMIT ?)`,
  };
}
