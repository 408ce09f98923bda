/**
 * What Postgres cannot hold as text: a NUL character (text refuses it, and so does jsonb's
 * `\u0000`) and an unpaired UTF-16 surrogate (no UTF-8 for it: a client would send U+FFFD in its
 * place, and jsonb refuses its escape). Values never meet this, as they are stored as their JSON
 * text, where `JSON.stringify` escapes both; data keys and owner names are stored as they are, so
 * a save that holds such a key is refused before anything is written.
 *
 * @module
 */

import { SessionError } from "../../errors.ts";

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws `ERR_SESSION_DATA` for a key or owner name Postgres cannot store exactly. */
export function checkText(text: string): void {
  if (UNSTORABLE.test(text)) {
    throw new SessionError("ERR_SESSION_DATA", "session keys and owner names stored in Postgres may not hold a NUL character or an unpaired surrogate");
  }
}
