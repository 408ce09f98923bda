/**
 * The SQL of `PostgresStore`, every statement in one place, each with the guarantee it keeps. One
 * table, one row per session:
 *
 * - `id` the session id (primary key);
 * - `data` a jsonb object: data key → the value's JSON *text* (a jsonb string), so values come back
 *   exactly as `JSON.stringify` wrote them, keys are plain keys (never paths), and a string holding
 *   `\u0000` or a lone surrogate, which jsonb refuses as such, is stored escaped inside that text;
 * - `flashes` a jsonb object: flash id → `[key, JSON text]`; flash ids sort in the order added;
 * - `owner` the owner's name or null; `created_at`, `expires_at`, `last_seen_at` ms since the epoch.
 *
 * A save is one statement, so it needs no transaction and holds no pooled connection between round
 * trips; its row lock serializes it with every other statement on that session. Under READ
 * COMMITTED a statement that waited for the lock re-evaluates its WHERE and its SET expressions on
 * the row as the other one left it, so concurrent saves apply their own changes on top of each
 * other's (no lost update), and a save that waited for a delete finds no row.
 *
 * Parameters are all sent as text and cast here (`$5::text::jsonb`): postgres.js picks its encoder
 * from the type the server infers for a parameter, and would JSON-encode a jsonb parameter's text a
 * second time. Times are decimal ms, lists are JSON arrays, new values and flashes JSON objects.
 *
 * @module
 */

import type { TableName } from "./table-name.ts";

/** Every statement of one table. */
export interface Statements {
  migrate: string;
  load: string;
  update: string;
  insert: string;
  regenerate: string;
  destroy: string;
  touch: string;
  list: string;
  destroyAll: string;
  prune: string;
}

// Any fixed 64-bit key serves: it only has to be the same in every process ("websess1" in ASCII).
const MIGRATE_LOCK = "8603369880395280177";

/** The statements for `table`; its name is the only text that is not a parameter. */
export function statements({ quoted: t, stem }: TableName): Statements {
  // The stored values of a session after a save that keeps what it does not change.
  const merged = (column: string, dropped: string) =>
    `(CASE WHEN $3::text::boolean THEN '{}'::jsonb ELSE ${column} - ARRAY(SELECT jsonb_array_elements_text(${dropped}::text::jsonb)) END)`;
  return {
    // Several statements without parameters run as one implicit transaction (simple protocol), and
    // the advisory lock holds until it ends: two processes migrating at once take turns, so the
    // second never trips over the first's half-made table (a unique violation on pg_type). The
    // notices of what already exists are silenced for this transaction only: postgres.js prints
    // notices to the console unless the app says otherwise.
    migrate: `
SET LOCAL client_min_messages TO warning;
SELECT pg_advisory_xact_lock(${MIGRATE_LOCK});
CREATE TABLE IF NOT EXISTS ${t} (
  id text PRIMARY KEY,
  data jsonb NOT NULL DEFAULT '{}',
  flashes jsonb NOT NULL DEFAULT '{}',
  owner text,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  last_seen_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS "${stem}_owner_idx" ON ${t} (owner) WHERE owner IS NOT NULL;
CREATE INDEX IF NOT EXISTS "${stem}_expires_at_idx" ON ${t} (expires_at);`,

    // $1 id, $2 now. An expired row is no session, whether or not anyone pruned it.
    load: `SELECT data::text AS data, flashes::text AS flashes, created_at, expires_at, last_seen_at FROM ${t} WHERE id = $1 AND expires_at > $2::text::bigint`,

    // A save of a session that was loaded: $1 id, $2 now, $3 whole, $4 deleted keys, $5 values to
    // set, $6 taken flash ids, $7 added flashes, $8 whether the owner changes, $9 the owner,
    // $10 created, $11 expires. Only a row that is still there and live is updated: a session
    // destroyed (or expired) since it was loaded stays gone. The owner moves in the same row.
    update: `
UPDATE ${t} SET
  data = ${merged("data", "$4")} || $5::text::jsonb,
  flashes = ${merged("flashes", "$6")} || $7::text::jsonb,
  owner = CASE WHEN $8::text::boolean THEN $9::text ELSE owner END,
  created_at = $10::text::bigint, expires_at = $11::text::bigint, last_seen_at = $2::text::bigint
WHERE id = $1 AND expires_at > $2::text::bigint
RETURNING 1 AS written`,

    // The first save of a new session, parameters as for update. Its id is new, so the conflict
    // branch only meets an expired row left under it, which it replaces.
    insert: `
INSERT INTO ${t} AS s (id, data, flashes, owner, created_at, expires_at, last_seen_at)
VALUES ($1, $5::text::jsonb, $7::text::jsonb, $9::text, $10::text::bigint, $11::text::bigint, $2::text::bigint)
ON CONFLICT (id) DO UPDATE SET
  data = (CASE WHEN s.expires_at <= $2::text::bigint THEN '{}'::jsonb ELSE ${merged("s.data", "$4")} END) || excluded.data,
  flashes = (CASE WHEN s.expires_at <= $2::text::bigint THEN '{}'::jsonb ELSE ${merged("s.flashes", "$6")} END) || excluded.flashes,
  owner = CASE WHEN $8::text::boolean THEN excluded.owner WHEN s.expires_at <= $2::text::bigint THEN NULL ELSE s.owner END,
  created_at = excluded.created_at, expires_at = excluded.expires_at, last_seen_at = excluded.last_seen_at
RETURNING 1 AS written`,

    // The save after regenerate(): $1 new id, $2 now, $3 values, $4 flashes, $5 owner, $6 created,
    // $7 expires, $8 the old id. The old row goes and the new one is written from the same step,
    // only if the old one was still live: a session signed out meanwhile (destroy, destroyAll,
    // another regenerate) is not moved to a new id. Two regenerates of one id: the second finds
    // nothing to delete once the first commits, so it writes nothing.
    regenerate: `
WITH previous AS (DELETE FROM ${t} WHERE id = $8 AND expires_at > $2::text::bigint RETURNING id)
INSERT INTO ${t} AS s (id, data, flashes, owner, created_at, expires_at, last_seen_at)
SELECT $1, $3::text::jsonb, $4::text::jsonb, $5::text, $6::text::bigint, $7::text::bigint, $2::text::bigint FROM previous
ON CONFLICT (id) DO UPDATE SET
  data = excluded.data, flashes = excluded.flashes, owner = excluded.owner,
  created_at = excluded.created_at, expires_at = excluded.expires_at, last_seen_at = excluded.last_seen_at
RETURNING 1 AS written`,

    // $1 id. The row goes, so every later save of it (which must find its row) writes nothing.
    destroy: `DELETE FROM ${t} WHERE id = $1`,

    // $1 id, $2 now, $3 stale before: a request used the session without saving it. Only a live
    // row changes, and only its last-seen time: a destroyed session is not brought back, nor its
    // expiry moved. Only a time not after $3 is replaced: of requests racing to touch it, one writes.
    touch: `UPDATE ${t} SET last_seen_at = $2::text::bigint WHERE id = $1 AND expires_at > $2::text::bigint AND last_seen_at <= $3::text::bigint`,

    // $1 owner, $2 now, $3 whether to return the data (the store's listed option): an indexed
    // query on owner; expired rows are never listed.
    list: `
SELECT id, created_at, expires_at, last_seen_at, CASE WHEN $3::text::boolean THEN data::text END AS data
FROM ${t} WHERE owner = $1 AND expires_at > $2::text::bigint`,

    // $1 owner, $2 the id to spare ('' for none: no id is empty), $3 now: an indexed query on owner.
    // Locks in id order, so two of them never deadlock, and counts the live ones it deleted. Under
    // READ COMMITTED a row that another statement deleted or moved while this one waited for its
    // lock drops out, and a row that statement wrote (regenerate()'s new id) is not in this
    // statement's snapshot: `missed` counts rows seen but not locked, and the driver runs it again
    // until none were, so a regenerate() that overlapped it cannot leave a session behind.
    destroyAll: `
WITH seen AS (SELECT id FROM ${t} WHERE owner = $1 AND id <> $2),
doomed AS (SELECT id FROM ${t} WHERE owner = $1 AND id <> $2 ORDER BY id FOR UPDATE),
gone AS (DELETE FROM ${t} USING doomed WHERE ${t}.id = doomed.id RETURNING ${t}.expires_at)
SELECT (SELECT count(*) FROM gone WHERE expires_at > $3::text::bigint) AS destroyed,
  (SELECT count(*) FROM seen) - (SELECT count(*) FROM doomed) AS missed`,

    // $1 now: an indexed delete on expires_at. Rows another statement holds are left for the next
    // prune: it never waits for live traffic, so it never deadlocks with it.
    prune: `
WITH doomed AS (SELECT id FROM ${t} WHERE expires_at <= $1::text::bigint FOR UPDATE SKIP LOCKED),
gone AS (DELETE FROM ${t} USING doomed WHERE ${t}.id = doomed.id RETURNING 1)
SELECT count(*) AS pruned FROM gone`,
  };
}
