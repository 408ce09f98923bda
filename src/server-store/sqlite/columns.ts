/**
 * The JSON columns of a session row: a save's merge patches out, a row's values and flashes in.
 *
 * @module
 */

import { decodeJson } from "../../json.ts";
import type { StoredSession } from "../../store.ts";
import type { WritePlan } from "../write-plan.ts";

/**
 * A JSON object's text from members in order, written by hand rather than through an object and
 * `JSON.stringify`, so that a key like `__proto__` is a member like any other. A later member
 * replaces an earlier one of the same key (a deleted key that is set again is set).
 */
function objectText(members: Iterable<readonly [key: string, value: unknown]>): string {
  const byKey = new Map<string, unknown>(members);
  let text = "";
  for (const [key, value] of byKey) text += (text ? "," : "") + JSON.stringify(key) + ":" + JSON.stringify(value);
  return "{" + text + "}";
}

/** The merge patch of the `data` column: each set key → its JSON text, each deleted key → null. */
export function dataPatch(plan: WritePlan): string {
  return objectText([...plan.deleted.map((key) => [key, null] as const), ...plan.set]);
}

/** The merge patch of the `flashes` column: each taken flash id → null, each added one → [key, JSON text]. */
export function flashesPatch(plan: WritePlan): string {
  return objectText([...plan.taken.map(([, id]) => [id, null] as const), ...plan.added.map(([key, id, json]) => [id, [key, json]] as const)]);
}

/** A row as the read statement selects it. */
export interface SessionRow {
  data: unknown;
  flashes: unknown;
  created_at: unknown;
  expires_at: unknown;
  last_seen_at: unknown;
}

/**
 * The session a row holds, or undefined for a row this store did not write (columns that are
 * not its JSON objects and times): such a row opens nothing, as a garbage cookie does.
 */
export function toStoredSession(id: string, row: SessionRow): StoredSession | undefined {
  const values = objectOf(row.data);
  const flashes = objectOf(row.flashes);
  const createdAt = timeOf(row.created_at);
  const expiresAt = timeOf(row.expires_at);
  if (!values || !flashes || !Number.isFinite(createdAt) || !Number.isFinite(expiresAt)) return undefined;
  const data = new Map<string, unknown>();
  for (const [key, json] of Object.entries(values)) {
    const value = typeof json === "string" ? decodeJson(json) : undefined;
    if (value !== undefined) data.set(key, value);
  }
  const byKey = new Map<string, Array<[id: string, json: string]>>();
  for (const [flashId, entry] of Object.entries(flashes)) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || typeof entry[1] !== "string" || decodeJson(entry[1]) === undefined) continue;
    const list = byKey.get(entry[0]) ?? [];
    list.push([flashId, entry[1]]);
    byKey.set(entry[0], list);
  }
  const flashIds = new Map<string, string[]>();
  for (const [key, list] of byKey) {
    // Flash ids sort in the order the flashes were added (plain code-unit order, as they were made).
    list.sort(([a], [b]) => (a < b ? -1 : 1));
    flashIds.set(key, list.map(([flashId]) => flashId));
    data.set(key, list.map(([, json]) => decodeJson(json)));
  }
  return { id, data, createdAt, expiresAt, lastSeenAt: timeColumn(row.last_seen_at), flashIds };
}

/** Reads values from a row's `data` column (for `sessionInfo`): undefined for a key it does not hold. */
export function valuesOf(data: unknown): (key: string) => unknown {
  const values = objectOf(data);
  return (key) => {
    // Only own members are strings: `values.toString` is a function, and so names no value.
    const json = values?.[key];
    return typeof json === "string" ? decodeJson(json) : undefined;
  };
}

/** A time column as a number, or undefined for anything else. */
export function timeColumn(value: unknown): number | undefined {
  const time = timeOf(value);
  return Number.isFinite(time) ? time : undefined;
}

/** Ms since the epoch as a client hands an INTEGER back: a number, a BigInt (safe-integer modes), or text (libSQL's `intMode: "string"`). */
function timeOf(value: unknown): number {
  if (typeof value === "number" || typeof value === "bigint" || (typeof value === "string" && value !== "")) return Number(value);
  return Number.NaN;
}

/** The JSON object a column holds; null or undefined when it holds anything else. */
function objectOf(text: unknown): Record<string, unknown> | null | undefined {
  // Text only: a BLOB (a Buffer on Node) would otherwise be parsed from its string form.
  if (typeof text !== "string") return undefined;
  const value = decodeJson(text);
  return typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown> | null) : undefined;
}
