/**
 * `SessionsObject`: the Durable Object class behind `DurableObjectStore`, SQLite-backed. One class
 * plays two parts, told apart by the object's name (protocol.ts): the object of one session, and
 * the object of one owner's index.
 *
 * Each RPC method runs its reads and writes in one `transactionSync` with no await inside, so it
 * is atomic, and the object runs one such method at a time: two saves on one session are applied
 * one after the other, each changing only its own keys.
 *
 * @module
 */

/// <reference path="./cloudflare-workers.d.ts" />
import { DurableObject } from "cloudflare:workers";
import type { WritePlan } from "../write-plan.ts";
import type { SessionRecord, SessionState, Successor } from "./protocol.ts";

// A session's object: one row of metadata, its plain values, its flashes one by one.
const SESSION_SCHEMA = `
CREATE TABLE IF NOT EXISTS session (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  owner TEXT,
  ended INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS session_value (key TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS session_flash (key TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (key, id));
CREATE TABLE IF NOT EXISTS session_successor (one INTEGER PRIMARY KEY CHECK (one = 1), id TEXT NOT NULL, until INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS session_seen (one INTEGER PRIMARY KEY CHECK (one = 1), at INTEGER NOT NULL);
`;
// The last-seen time has a table of its own, so objects made before it existed get it by
// CREATE TABLE IF NOT EXISTS, without altering the session table.
const SET_SEEN = "INSERT INTO session_seen (one, at) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET at = excluded.at";

// An owner's object: the ids of its sessions, each with the latest expiry a save announced.
const OWNER_SCHEMA = `CREATE TABLE IF NOT EXISTS owner_entry (id TEXT PRIMARY KEY, hint INTEGER NOT NULL);`;

type SessionRow = { created_at: number; expires_at: number; owner: string | null; ended: number };

/**
 * The Durable Object class that keeps sessions for `DurableObjectStore`. Export it from the
 * Worker's main module and bind it (SQLite-backed) as the store's namespace.
 *
 * @example
 * ```ts
 * // wrangler.toml:
 * //   [[durable_objects.bindings]]
 * //   name = "SESSIONS"
 * //   class_name = "SessionsObject"
 * //   [[migrations]]
 * //   tag = "v1"
 * //   new_sqlite_classes = ["SessionsObject"]
 * export { SessionsObject } from "web-sessions/durable-objects";
 * ```
 */
export class SessionsObject extends DurableObject {
  #schemas = new Set<string>();

  /** The session as stored, or undefined when there is none, it was destroyed, or it expired by `now`. */
  load(now: number): SessionRecord | undefined {
    const sql = this.#sql(SESSION_SCHEMA);
    const row = this.#session();
    if (!row || row.ended || row.expires_at <= now) return undefined;
    return {
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastSeenAt: this.#lastSeen(),
      values: sql.exec<{ key: string; json: string }>("SELECT key, json FROM session_value").toArray().map(({ key, json }) => [key, json]),
      flashes: sql
        .exec<{ key: string; id: string; json: string }>("SELECT key, id, json FROM session_flash ORDER BY key, id")
        .toArray()
        .map(({ key, id, json }) => [key, id, json]),
    };
  }

  /**
   * Applies a save; resolves false, writing nothing, when the session was destroyed or expired
   * (final, whatever the plan says) or is missing and the plan `mustExist`.
   */
  async save(plan: WritePlan, now: number): Promise<boolean> {
    const sql = this.#sql(SESSION_SCHEMA);
    const written = this.ctx.storage.transactionSync(() => {
      const row = this.#session();
      if (row ? row.ended || row.expires_at <= now : plan.mustExist) return false;
      if (plan.whole) sql.exec("DELETE FROM session_value; DELETE FROM session_flash");
      for (const key of plan.deleted) sql.exec("DELETE FROM session_value WHERE key = ?", key);
      for (const [key, json] of plan.set) {
        sql.exec("INSERT INTO session_value (key, json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json", key, json);
      }
      for (const [key, id] of plan.taken) sql.exec("DELETE FROM session_flash WHERE key = ? AND id = ?", key, id);
      for (const [key, id, json] of plan.added) sql.exec("INSERT OR REPLACE INTO session_flash (key, id, json) VALUES (?, ?, ?)", key, id, json);
      const owner = plan.owner === undefined ? (row?.owner ?? null) : plan.owner;
      sql.exec(
        `INSERT INTO session (one, created_at, expires_at, owner) VALUES (1, ?, ?, ?)
         ON CONFLICT (one) DO UPDATE SET created_at = excluded.created_at, expires_at = excluded.expires_at, owner = excluded.owner`,
        plan.createdAt,
        plan.expiresAt,
        owner,
      );
      sql.exec(SET_SEEN, plan.lastSeenAt);
      return true;
    });
    // The alarm sweeps the object once the session expires (alarm() below).
    if (written) await this.ctx.storage.setAlarm(plan.expiresAt);
    return written;
  }

  /**
   * Destroys the session: its data goes, a marker stays until it would have expired, so no save
   * can write it again. With `owner`, only a session of that owner is destroyed. `successor` (a
   * save after `regenerate()` ending the old id) is kept with the marker, for `destroyAll()`.
   * `seal` (`destroyAll()` following a successor) also marks an object nothing was written to yet
   * ended until then, so the save on its way finds it destroyed.
   */
  async end(owner: string | null, now: number, successor?: Successor, seal?: number): Promise<SessionState> {
    const sql = this.#sql(SESSION_SCHEMA);
    const state = this.ctx.storage.transactionSync((): SessionState => {
      const state = this.#state(owner, now);
      if (state.state === "empty" && seal !== undefined) {
        sql.exec("INSERT INTO session (one, created_at, expires_at, owner, ended) VALUES (1, ?, ?, NULL, 1)", now, seal);
        return { state: "ended", owner: null };
      }
      if (state.state !== "live") return state;
      const { owner: was } = this.#session()!;
      sql.exec("DELETE FROM session_value; DELETE FROM session_flash; DELETE FROM session_seen; UPDATE session SET ended = 1, owner = NULL");
      if (successor) sql.exec("INSERT OR REPLACE INTO session_successor (one, id, until) VALUES (1, ?, ?)", successor.id, successor.until);
      return { state: "ended", owner: was };
    });
    // A sealed marker goes with the object when its time is up, as an expired session does.
    if (state.state === "ended" && seal !== undefined && state.owner === null) await this.ctx.storage.setAlarm(seal);
    return state;
  }

  /**
   * Records a request's use of the session at `at`: only while it is live (never after `end()`
   * or expiry, so a destroyed session is not brought back), only its last-seen time, and only
   * over a time not after `staleBefore`, so of requests racing to touch it, one writes.
   */
  touch(at: number, staleBefore: number): void {
    const sql = this.#sql(SESSION_SCHEMA);
    this.ctx.storage.transactionSync(() => {
      const row = this.#session();
      if (row && !row.ended && row.expires_at > at && (this.#lastSeen() ?? 0) <= staleBefore) sql.exec(SET_SEEN, at);
    });
  }

  /**
   * Whether this is a live session of `owner`, and if so when it was created, expires and was last
   * seen, and the JSON of those of the `listed` keys it holds.
   */
  info(owner: string, now: number, listed: readonly string[] = []): SessionState {
    const sql = this.#sql(SESSION_SCHEMA);
    const state = this.#state(owner, now);
    if (state.state !== "live") return state;
    const values: Array<[string, string]> = [];
    for (const key of listed) {
      const row = sql.exec<{ json: string }>("SELECT json FROM session_value WHERE key = ?", key).toArray()[0];
      if (row) values.push([key, row.json]);
    }
    return { ...state, lastSeenAt: this.#lastSeen(), values };
  }

  /** Owner index: adds `id`, or raises its expiry hint. */
  indexAdd(id: string, hint: number): void {
    this.#sql(OWNER_SCHEMA).exec(
      "INSERT INTO owner_entry (id, hint) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET hint = max(hint, excluded.hint)",
      id,
      hint,
    );
  }

  /** Owner index: every id with its expiry hint. */
  indexEntries(): Array<[id: string, hint: number]> {
    return this.#sql(OWNER_SCHEMA)
      .exec<{ id: string; hint: number }>("SELECT id, hint FROM owner_entry")
      .toArray()
      .map(({ id, hint }) => [id, hint]);
  }

  /** Owner index: removes `dropped`, and those of `stale` whose expiry hint is not after `now`. */
  indexPrune(dropped: string[], stale: string[], now: number): void {
    const sql = this.#sql(OWNER_SCHEMA);
    this.ctx.storage.transactionSync(() => {
      for (const id of dropped) sql.exec("DELETE FROM owner_entry WHERE id = ?", id);
      for (const id of stale) sql.exec("DELETE FROM owner_entry WHERE id = ? AND hint <= ?", id, now);
    });
  }

  /** Runs when a session's expiry passes: the whole object goes, unless a save moved the expiry on. */
  async alarm(): Promise<void> {
    // Only a session's object sets alarms.
    this.#sql(SESSION_SCHEMA);
    const row = this.#session();
    if (row && row.expires_at > Date.now()) return this.ctx.storage.setAlarm(row.expires_at);
    await this.ctx.storage.deleteAll();
    this.#schemas.clear();
  }

  #state(owner: string | null, now: number): SessionState {
    const row = this.#session();
    if (!row) return { state: "empty" };
    if (row.ended || row.expires_at <= now) {
      const successor = this.ctx.storage.sql.exec<{ id: string; until: number }>("SELECT id, until FROM session_successor").toArray()[0];
      return successor ? { state: "gone", successor: { id: successor.id, until: successor.until } } : { state: "gone" };
    }
    if (owner !== null && row.owner !== owner) return { state: "other" };
    return { state: "live", createdAt: row.created_at, expiresAt: row.expires_at };
  }

  #lastSeen(): number | undefined {
    return this.ctx.storage.sql.exec<{ at: number }>("SELECT at FROM session_seen").toArray()[0]?.at;
  }

  #session(): SessionRow | undefined {
    return this.ctx.storage.sql.exec<SessionRow>("SELECT created_at, expires_at, owner, ended FROM session").toArray()[0];
  }

  /** The object's SQL storage, with the tables of `schema` created on first use. */
  #sql(schema: string) {
    const { sql } = this.ctx.storage;
    if (!this.#schemas.has(schema)) {
      sql.exec(schema);
      this.#schemas.add(schema);
    }
    return sql;
  }
}
