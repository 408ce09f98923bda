/**
 * The SQLite driver of the server-store engine: every operation is one statement (one round trip
 * on D1 and libSQL), each atomic on its own and conditional where a guarantee needs it:
 * - a save of a stored session updates its row only while the row is live, so a save after
 *   `destroy()`, `destroyAll()` or expiry changes nothing and the engine sets no cookie;
 * - a save after `regenerate()` moves the row to the new id by updating its key, only while the
 *   old row is live: the old id stops working in the same step, and a regenerate of a session
 *   another request signed out writes nothing;
 * - the owner is a column of the row, so the owner index (an SQL index on it) moves with the save
 *   that changes it, and `list()`/`destroyAll()` see exactly the rows that hold the owner;
 * - only the keys a save changed are patched, so concurrent requests keep each other's keys.
 *
 * @module
 */

import { SessionError } from "../../errors.ts";
import type { SessionInfo, StoredSession } from "../../store.ts";
import { sessionInfo } from "../server-store.ts";
import { redactSqlError } from "../sql-error.ts";
import type { SessionDriver } from "../server-store.ts";
import type { WritePlan } from "../write-plan.ts";
import { dataPatch, flashesPatch, timeColumn, valuesOf, toStoredSession } from "./columns.ts";
import type { SessionRow } from "./columns.ts";
import type { SqlConnection, SqlValue } from "./connection.ts";
import { sqliteStatements } from "./statements.ts";
import type { SaveArgs, SqliteStatements } from "./statements.ts";

/** How many expired rows one prune statement deletes at most. */
export const PRUNE_BATCH = 1000;

export class SqliteDriver implements SessionDriver {
  readonly #db: SqlConnection;
  readonly #sql: SqliteStatements;

  constructor(db: SqlConnection, table: string) {
    this.#db = db;
    this.#sql = sqliteStatements(table);
  }

  async read(id: string): Promise<StoredSession | undefined> {
    const rows = await this.#call("load the session", () => this.#db.all({ sql: this.#sql.read, args: [id, Date.now()] }));
    return rows[0] && toStoredSession(id, rows[0] as unknown as SessionRow);
  }

  async write(plan: WritePlan): Promise<boolean> {
    const now = Date.now();
    const data = dataPatch(plan);
    const flashes = flashesPatch(plan);
    const owner = plan.owner ?? null;
    const save: SaveArgs = [data, flashes, plan.owner === undefined ? 0 : 1, owner, plan.createdAt, plan.expiresAt, now];
    const shape = plan.whole ? "whole" : "patch";
    let sql: string;
    let args: SqlValue[];
    if (plan.previousId !== undefined) {
      sql = this.#sql.rename;
      args = [plan.id, ...save, plan.previousId, now];
    } else if (plan.mustExist) {
      sql = this.#sql.update[shape];
      args = [...save, plan.id, now];
    } else {
      sql = this.#sql.upsert[shape];
      args = [plan.id, data, flashes, owner, plan.createdAt, plan.expiresAt, now, now, data, now, flashes, save[2], now];
    }
    return (await this.#call("save the session", () => this.#db.run({ sql, args }))) === 1;
  }

  async remove(id: string): Promise<void> {
    await this.#call("destroy the session", () => this.#db.run({ sql: this.#sql.remove, args: [id] }));
  }

  async touch(id: string, at: number, staleBefore: number): Promise<void> {
    await this.#call("record the session's last use", () => this.#db.run({ sql: this.#sql.touch, args: [at, id, at, staleBefore] }));
  }

  async list(owner: string, now: number, listed: readonly string[] | undefined): Promise<SessionInfo[]> {
    const rows = await this.#call("list the sessions of an owner", () => this.#db.all({ sql: this.#sql.list, args: [listed ? 1 : 0, owner, now] }));
    return rows.map((row) => {
      const times = { id: String(row["id"]), createdAt: Number(row["created_at"]), expiresAt: Number(row["expires_at"]), lastSeenAt: timeColumn(row["last_seen_at"]) };
      return sessionInfo(times, listed, valuesOf(row["data"]));
    });
  }

  removeAll(owner: string, except: string | undefined): Promise<number> {
    // Ids are never empty, so "" spares nothing.
    return this.#call("destroy the sessions of an owner", () => this.#db.run({ sql: this.#sql.removeAll, args: [owner, except ?? "", Date.now()] }));
  }

  /** Creates the table and its indexes if missing (one batch). */
  migrate(): Promise<void> {
    return this.#call("create the sessions table", () => this.#db.batch(this.#sql.schema.map((sql) => ({ sql, args: [] }))));
  }

  /** Deletes the sessions expired by `now`, a bounded batch at a time; resolves how many. */
  async prune(now: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.#call("prune expired sessions", () => this.#db.run({ sql: this.#sql.prune, args: [now, PRUNE_BATCH] }));
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }

  /** Runs one operation; any failure becomes `ERR_SESSION_STORE` with a cause that holds no session data. */
  async #call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new SessionError("ERR_SESSION_STORE", `SQLite could not ${action}`, { cause: redactSqlError(error) });
    }
  }
}
