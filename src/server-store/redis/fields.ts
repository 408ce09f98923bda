/**
 * How a session is laid out in a Redis hash, the same for every Redis transport:
 * - `m:c`: when the session was created; `m:o`: its owner (with the `owner` option); `m:s`: when
 *   a request last used it (every save writes it, and a touch between saves);
 * - `d:<key>`: a data value;
 * - `f:<flash id>:<key>`: one flash, so taking flashes deletes exactly those that were read.
 * Every value starts with `=`, a character JSON cannot start with: a client's automatic JSON
 * parsing leaves them alone, and values come back exactly as they were stored.
 *
 * @module
 */

import type { StoredSession } from "../../store.ts";
import { decodeJson } from "../../json.ts";
import type { WritePlan } from "../write-plan.ts";

const CREATED = "m:c";
/** The field of the last-seen time. */
export const LAST_SEEN = "m:s";
/** The prefix of a data value's field. */
export const DATA = "d:";
const FLASH = "f:";
/** What every stored value starts with. */
export const VALUE = "=";

/** The fields a plan sets, flat (`field, value, ...`), creation and last-seen times first, and the fields it deletes. */
export function planFields(plan: WritePlan): { set: string[]; deleted: string[] } {
  // The creation time goes along every time, so a new session's hash is whole after one save.
  const set = [CREATED, VALUE + plan.createdAt, LAST_SEEN, VALUE + plan.lastSeenAt];
  for (const [key, json] of plan.set) set.push(DATA + key, VALUE + json);
  for (const [key, id, json] of plan.added) set.push(FLASH + id + ":" + key, VALUE + json);
  const deleted = plan.deleted.map((key) => DATA + key);
  for (const [key, id] of plan.taken) deleted.push(FLASH + id + ":" + key);
  return { set, deleted };
}

/**
 * Reads HGETALL's reply: a flat `[field, value, ...]` array (RESP2), or an object or Map (RESP3,
 * and clients that convert it).
 */
export function parseHash(id: string, reply: unknown, expiresAt: number): StoredSession | undefined {
  const pairs = toPairs(reply);
  if (pairs.length === 0) return undefined;
  const data = new Map<string, unknown>();
  const flashes = new Map<string, [id: string, value: unknown][]>();
  let createdAt: number | undefined;
  let lastSeenAt: number | undefined;
  for (const [field, raw] of pairs) {
    if (!raw.startsWith(VALUE)) continue;
    if (field === CREATED) {
      createdAt = Number(raw.slice(VALUE.length));
      continue;
    }
    if (field === LAST_SEEN) {
      lastSeenAt = Number(raw.slice(VALUE.length));
      continue;
    }
    if (!field.startsWith(DATA) && !field.startsWith(FLASH)) continue;
    const value = decodeJson(raw.slice(VALUE.length));
    if (value === undefined) continue;
    if (field.startsWith(DATA)) data.set(field.slice(DATA.length), value);
    else {
      const colon = field.indexOf(":", FLASH.length);
      if (colon < 0) continue;
      const key = field.slice(colon + 1);
      const list = flashes.get(key) ?? [];
      list.push([field.slice(FLASH.length, colon), value]);
      flashes.set(key, list);
    }
  }
  if (createdAt === undefined || !Number.isFinite(createdAt)) return undefined;
  const flashIds = new Map<string, string[]>();
  for (const [key, list] of flashes) {
    // Flash ids sort in the order the flashes were added.
    list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    data.set(key, list.map(([, value]) => value));
    flashIds.set(key, list.map(([flashId]) => flashId));
  }
  // Hashes written before `m:s` existed have none: the jar then records one.
  return { id, data, createdAt, expiresAt, lastSeenAt: Number.isFinite(lastSeenAt) ? lastSeenAt : undefined, flashIds };
}

function toPairs(reply: unknown): [string, string][] {
  if (Array.isArray(reply)) {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([String(reply[i]), String(reply[i + 1])]);
    return pairs;
  }
  if (reply instanceof Map) return [...reply].map(([field, value]) => [String(field), String(value)]);
  if (reply && typeof reply === "object") return Object.entries(reply).map(([field, value]) => [field, String(value)]);
  return [];
}
