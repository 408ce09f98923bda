/**
 * The Postgres driver of the server-store engine: each operation is one statement (statements.ts),
 * so one round trip, and a save never holds a pooled connection across round trips.
 *
 * @module
 */

import { SessionError } from "../../errors.ts";
import { decodeJson } from "../../json.ts";
import type { SessionInfo, StoredSession } from "../../store.ts";
import { sessionInfo } from "../server-store.ts";
import { redactSqlError } from "../sql-error.ts";
import type { SessionDriver } from "../server-store.ts";
import type { WritePlan } from "../write-plan.ts";
import type { Row, RunStatement } from "./sql-client.ts";
import type { Statements } from "./statements.ts";
import { checkText } from "./text.ts";

// Each extra pass needs another write to the owner's sessions during the one before.
const MAX_DESTROY_ALL_PASSES = 10;

export class PostgresDriver implements SessionDriver {
  readonly #run: RunStatement;
  readonly #sql: Statements;

  constructor(run: RunStatement, sql: Statements) {
    this.#run = run;
    this.#sql = sql;
  }

  async read(id: string): Promise<StoredSession | undefined> {
    const [row] = await this.#call("load", this.#sql.load, [id, String(Date.now())]);
    return row && toStoredSession(id, row);
  }

  async write(plan: WritePlan): Promise<boolean> {
    // Refused before anything is sent: nothing is written (see text.ts).
    for (const [key] of plan.set) checkText(key);
    for (const key of plan.deleted) checkText(key);
    for (const [key] of plan.added) checkText(key);
    checkText(plan.owner ?? "");
    const now = String(Date.now());
    const values = JSON.stringify(Object.fromEntries(plan.set));
    const flashes = JSON.stringify(Object.fromEntries(plan.added.map(([key, id, json]) => [id, [key, json]])));
    const owner = plan.owner ?? null;
    const created = String(plan.createdAt);
    const expires = String(plan.expiresAt);
    if (plan.previousId !== undefined) {
      const rows = await this.#call("save", this.#sql.regenerate, [plan.id, now, values, flashes, owner, created, expires, plan.previousId]);
      return rows.length > 0;
    }
    const params = [
      plan.id,
      now,
      String(plan.whole),
      JSON.stringify(plan.deleted),
      values,
      JSON.stringify(plan.taken.map(([, id]) => id)),
      flashes,
      String(plan.owner !== undefined),
      owner,
      created,
      expires,
    ];
    const rows = await this.#call("save", plan.mustExist ? this.#sql.update : this.#sql.insert, params);
    return rows.length > 0;
  }

  async remove(id: string): Promise<void> {
    await this.#call("destroy", this.#sql.destroy, [id]);
  }

  async touch(id: string, at: number, staleBefore: number): Promise<void> {
    await this.#call("touch", this.#sql.touch, [id, String(at), String(staleBefore)]);
  }

  async list(owner: string, now: number, listed: readonly string[] | undefined): Promise<SessionInfo[]> {
    const rows = await this.#call("list", this.#sql.list, [owner, String(now), String(listed !== undefined)]);
    return rows.map((row) => {
      const times = { id: String(row.id), createdAt: Number(row.created_at), expiresAt: Number(row.expires_at), lastSeenAt: Number(row.last_seen_at) };
      const values = listed && (decodeJson(String(row.data)) as Record<string, unknown>);
      // Only own members are strings: `values.toString` is a function, and so names no value.
      return sessionInfo(times, listed, (key) => {
        const json = values![key];
        return typeof json === "string" ? decodeJson(json) : undefined;
      });
    });
  }

  async removeAll(owner: string, except: string | undefined): Promise<number> {
    let destroyed = 0;
    // Again while a concurrent write made it miss a row (see statements.ts); each pass needs one.
    for (let pass = 1; pass <= MAX_DESTROY_ALL_PASSES; pass++) {
      // An aggregate: always one row.
      const [row] = await this.#call("destroyAll", this.#sql.destroyAll, [owner, except ?? "", String(Date.now())]);
      destroyed += Number(row!.destroyed);
      if (Number(row!.missed) === 0) return destroyed;
    }
    throw new SessionError("ERR_SESSION_STORE", `could not destroyAll: the owner's sessions kept changing for ${MAX_DESTROY_ALL_PASSES} passes`);
  }

  /** Creates the table and its indexes if missing. */
  async migrate(): Promise<void> {
    await this.#call("create the table of", this.#sql.migrate, []);
  }

  /** Deletes the expired sessions; how many. */
  async prune(): Promise<number> {
    const [row] = await this.#call("prune", this.#sql.prune, [String(Date.now())]);
    return Number(row!.pruned);
  }

  /** Runs one statement; any failure becomes `ERR_SESSION_STORE`, with a cause that holds no session data. */
  async #call(action: string, text: string, params: ReadonlyArray<string | null>): Promise<Row[]> {
    try {
      return await this.#run(text, params);
    } catch (error) {
      throw new SessionError("ERR_SESSION_STORE", `could not ${action} the session in Postgres`, { cause: redactSqlError(error) });
    }
  }
}

/** A row as the engine wants it: decoded values, flashes by key in the order they were added. */
function toStoredSession(id: string, row: Row): StoredSession {
  const data = new Map<string, unknown>();
  const values = decodeJson(String(row.data)) as Record<string, string>;
  for (const key of Object.keys(values)) data.set(key, decodeJson(values[key]!));
  const flashes = decodeJson(String(row.flashes)) as Record<string, [key: string, json: string]>;
  const flashIds = new Map<string, string[]>();
  // Flash ids sort in the order the flashes were added.
  for (const flashId of Object.keys(flashes).sort()) {
    const [key, json] = flashes[flashId]!;
    if (!flashIds.has(key)) {
      flashIds.set(key, []);
      data.set(key, []);
    }
    flashIds.get(key)!.push(flashId);
    (data.get(key) as unknown[]).push(decodeJson(json));
  }
  return { id, data, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at), lastSeenAt: Number(row.last_seen_at), flashIds };
}
