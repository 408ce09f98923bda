/**
 * The Redis script that ends one session: `destroy()`, each session of `destroyAll()`, and the old
 * id of a `regenerate()`. It touches one key, the session's hash, and deletes it only if it is
 * there (and, when asked, only if it belongs to the given owner), answering which it was, so the
 * caller knows whether it ended a live session.
 *
 * KEYS[1]  the session's hash
 * ARGV[1]  the owner the session must have, or "" for any
 *
 * Returns "gone" (no hash), "other" (another owner's, or no owner's, when ARGV[1] names one; left
 * as it is), or "=" followed by the owner the ended session had ("=" alone: none). Every answer is
 * text that JSON cannot parse, so a client's automatic JSON parsing leaves it alone.
 *
 * @module
 */

import { RedisScript } from "./script.ts";

export const END_SCRIPT: RedisScript = new RedisScript(
  "end",
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
local owner = redis.call('HGET', KEYS[1], 'm:o')
if ARGV[1] ~= '' and owner ~= '=' .. ARGV[1] then return 'other' end
redis.call('DEL', KEYS[1])
return owner or '='
`,
);

/** What ending a session found: gone already, another owner's, or ended (with the owner it had). */
export type Ended = { state: "gone" } | { state: "other" } | { state: "ended"; owner: string | undefined };

/** Reads the script's answer. */
export function parseEnded(reply: unknown): Ended {
  const text = String(reply);
  if (text === "gone" || text === "other") return { state: text };
  if (!text.startsWith("=")) throw new Error("unexpected reply from the end script");
  return { state: "ended", owner: text.length > 1 ? text.slice(1) : undefined };
}
