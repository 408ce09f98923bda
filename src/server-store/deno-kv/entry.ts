/**
 * How a session is kept in Deno KV: one entry per session, its value the UTF-8 bytes of one JSON
 * document. One entry makes a load one read and a save one atomic commit checked against one
 * versionstamp; per-key merges come from re-applying the save's plan to what is stored now, not
 * from separate entries. Bytes (not a structured value) make the size exact: Deno KV stores a
 * `Uint8Array` as it is and refuses more than 65,536 bytes, so the store can say beforehand that
 * a session is too large, with `ERR_SESSION_DATA`, on every backend alike. (And bytes need no V8
 * serializer, which @deno/kv asks Bun users to supply for anything else.)
 *
 * @module
 */

import { SessionError } from "../../errors.ts";
import type { StoredSession } from "../../store.ts";
import type { WritePlan } from "../write-plan.ts";

/** Deno KV's limit on one value, in bytes. */
export const MAX_VALUE_BYTES = 65_536;
/** The longest owner name, in UTF-8 bytes: it is part of an index key, and Deno KV keys take 2048. */
export const MAX_OWNER_BYTES = 1024;

/** A stored session. Keys and values in arrays of pairs, so no key (`__proto__`) is special. */
export interface Entry {
  createdAt: number;
  expiresAt: number;
  /** When a request last used the session; undefined in entries written before it was kept. */
  lastSeenAt: number | undefined;
  owner: string | undefined;
  /** Plain values: key, value. */
  values: Array<[key: string, value: unknown]>;
  /** Flashes one by one: key, flash id, value; ids of one key sort in the order they were added. */
  flashes: Array<[key: string, id: string, value: unknown]>;
}

// The document: {"c": createdAt, "e": expiresAt, "s": lastSeenAt, "o": owner or null, "v": values, "f": flashes}.
interface Document {
  c: number;
  e: number;
  s?: number;
  o: string | null;
  v: Array<[string, unknown]>;
  f: Array<[string, string, unknown]>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The bytes of an entry; throws `ERR_SESSION_DATA` past Deno KV's value limit or for too long an owner. */
export function encodeEntry(entry: Entry): Uint8Array<ArrayBuffer> {
  if (entry.owner !== undefined && encoder.encode(entry.owner).byteLength > MAX_OWNER_BYTES) {
    throw new SessionError("ERR_SESSION_DATA", `an owner value names an owner-index key in Deno KV: at most ${MAX_OWNER_BYTES} bytes`);
  }
  const document: Document = { c: entry.createdAt, e: entry.expiresAt, s: entry.lastSeenAt, o: entry.owner ?? null, v: entry.values, f: entry.flashes };
  const bytes = encoder.encode(JSON.stringify(document));
  if (bytes.byteLength > MAX_VALUE_BYTES) {
    throw new SessionError(
      "ERR_SESSION_DATA",
      `the session takes ${bytes.byteLength} bytes in Deno KV, past its limit of ${MAX_VALUE_BYTES} bytes per value`,
    );
  }
  return bytes;
}

/** An entry from stored bytes, or undefined for anything this store did not write. */
export function decodeEntry(value: unknown): Entry | undefined {
  if (!(value instanceof Uint8Array)) return undefined;
  let document: Partial<Document> | null;
  try {
    document = JSON.parse(decoder.decode(value));
  } catch {
    return undefined;
  }
  // JSON null is the one document that cannot be destructured.
  const { c, e, s, o, v, f } = document ?? {};
  if (typeof c !== "number" || typeof e !== "number" || !Array.isArray(v) || !Array.isArray(f)) return undefined;
  return { createdAt: c, expiresAt: e, lastSeenAt: typeof s === "number" ? s : undefined, owner: typeof o === "string" ? o : undefined, values: v, flashes: f };
}

/** The session an entry holds, as the engine hands it to the jar. */
export function toStoredSession(id: string, entry: Entry): StoredSession {
  const data = new Map<string, unknown>(entry.values);
  const flashIds = new Map<string, string[]>();
  for (const [key, flashId, value] of entry.flashes) {
    const values = data.get(key);
    if (flashIds.has(key) && Array.isArray(values)) values.push(value);
    else data.set(key, [value]);
    const ids = flashIds.get(key);
    if (ids) ids.push(flashId);
    else flashIds.set(key, [flashId]);
  }
  return { id, data, createdAt: entry.createdAt, expiresAt: entry.expiresAt, lastSeenAt: entry.lastSeenAt, flashIds };
}

/**
 * The entry after a save: the plan applied to what is stored now (`stored`: undefined when there
 * is no live entry). Applied again on every retry, so a save keeps what others wrote meanwhile.
 */
export function applyPlan(stored: Entry | undefined, plan: WritePlan): Entry {
  const base = plan.whole ? undefined : stored;
  const changed = new Map(plan.set);
  const deleted = new Set(plan.deleted);
  const values: Array<[string, unknown]> = [];
  for (const [key, value] of base?.values ?? []) {
    if (deleted.has(key) || changed.has(key)) continue;
    values.push([key, value]);
  }
  for (const [key, json] of changed) values.push([key, JSON.parse(json)]);
  const taken = new Set(plan.taken.map(([key, id]) => `${id}:${key}`));
  const flashes = (base?.flashes ?? []).filter(([key, id]) => !taken.has(`${id}:${key}`));
  for (const [key, id, json] of plan.added) flashes.push([key, id, JSON.parse(json)]);
  // Flash ids sort in the order flashes were added; keep each key's flashes in that order.
  flashes.sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  const owner = plan.owner === undefined ? stored?.owner : (plan.owner ?? undefined);
  return { createdAt: plan.createdAt, expiresAt: plan.expiresAt, lastSeenAt: plan.lastSeenAt, owner, values, flashes };
}

/** The plain value an entry holds under `key`, or undefined. */
export function plainValue(entry: Entry, key: string): unknown {
  return entry.values.find(([stored]) => stored === key)?.[1];
}

/** An owner-index entry: `[createdAt, expiresAt]`, as JSON bytes like the sessions. */
export function encodeIndexEntry({ createdAt, expiresAt }: Entry): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify([createdAt, expiresAt]));
}

/** The times of an owner-index entry, or undefined for anything this store did not write. */
export function decodeIndexEntry(value: unknown): { createdAt: number; expiresAt: number } | undefined {
  if (!(value instanceof Uint8Array)) return undefined;
  let times: unknown;
  try {
    times = JSON.parse(decoder.decode(value));
  } catch {
    return undefined;
  }
  if (!Array.isArray(times) || typeof times[0] !== "number" || typeof times[1] !== "number") return undefined;
  return { createdAt: times[0], expiresAt: times[1] };
}
