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
