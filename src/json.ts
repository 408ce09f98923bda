/**
 * JSON encoding of session values, with a coded error for what JSON cannot hold.
 *
 * @module
 */

import { SessionError } from "./errors.ts";

/** Encodes a session value as JSON, or throws `ERR_SESSION_DATA` (BigInt, cycles, functions). */
export function encodeJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new SessionError("ERR_SESSION_DATA", "session data must be JSON values", { cause });
  }
  if (json === undefined) throw new SessionError("ERR_SESSION_DATA", "session data must be JSON values");
  return json;
}

/** Parses JSON, or returns undefined for text that is not JSON. */
export function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// How deep a parsed value may nest for copyJson: deeper values are parsed again instead, so a
// copy never recurses far (a 40 KB cookie could nest thousands of levels).
const MAX_COPY_DEPTH = 8;

/**
 * Whether `value`, as `JSON.parse` made it, nests at most a few levels, so `copyJson` may copy it.
 * @param depth - levels still allowed below this one
 */
export function isCopyable(value: unknown, depth: number = MAX_COPY_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (depth === 0) return false;
  // Object.values lists an array's items too.
  return Object.values(value).every((item) => isCopyable(item, depth - 1));
}

/**
 * A copy of a value `JSON.parse` made that shares no object with it: the same as parsing its JSON
 * again, at a fraction of the cost. Only for values `isCopyable` accepted.
 */
export function copyJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(copy, key, copyJson((value as Record<string, unknown>)[key]));
  return copy;
}

/** Sets `object[key]` as an own, enumerable property, as `JSON.parse` would, for any key. */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  // An assignment to "__proto__" would set the prototype: that key must stay an own key.
  if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
