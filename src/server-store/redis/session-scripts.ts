/**
 * The Redis scripts that ask sessions about themselves, each over the hashes it is given in KEYS:
 * one key on a Redis Cluster (each session lives in a slot of its own), up to a batch of them on a
 * single Redis or Upstash, where one script may name many keys. Each hash answers for itself, so
 * the owner index never has to be right, only complete (see owner-index.ts).
 *
 * Every answer is text that JSON cannot parse, so a client's automatic JSON parsing leaves it alone.
 *
 * @module
 */

import { RedisScript } from "./script.ts";

/**
 * Ends sessions: `destroy()`, each session of `destroyAll()`, the old id of a `regenerate()`. Each
 * hash is deleted only if it is there and, when ARGV[1] names an owner, belongs to that owner.
 *
 * KEYS     the sessions' hashes
 * ARGV[1]  the owner each session must have, or "" for any
 *
 * Returns, for each key in order: "gone" (no hash), "other" (not that owner's; left as it is), or
 * "=" followed by the owner the ended session had ("=" alone: none).
 */
export const END_SCRIPT: RedisScript = new RedisScript(
  "end",
  `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 0 then
    out[i] = 'gone'
  else
    local owner = redis.call('HGET', key, 'm:o')
    if ARGV[1] ~= '' and owner ~= '=' .. ARGV[1] then
      out[i] = 'other'
    else
      redis.call('DEL', key)
      out[i] = owner or '='
    end
  end
end
return out
`,
);

/**
 * Reads sessions for `list()`: whether each is a live session of the owner, and its times.
 *
 * KEYS     the sessions' hashes
 * ARGV[1]  the owner
 *
 * Returns, for each key in order: "gone", "other", or its `m:c` and `m:e` fields (each "=" ..
 * ms since the epoch) joined by ",", the second empty for hashes written before `m:e` existed.
 */
export const INFO_SCRIPT: RedisScript = new RedisScript(
  "info",
  `
local out = {}
for i, key in ipairs(KEYS) do
  local fields = redis.call('HMGET', key, 'm:c', 'm:e', 'm:o')
  if not fields[1] then
    out[i] = 'gone'
  elseif fields[3] ~= '=' .. ARGV[1] then
    out[i] = 'other'
  else
    out[i] = fields[1] .. ',' .. (fields[2] or '')
  end
end
return out
`,
);

/** What ending a session found: gone already, another owner's, or ended (with the owner it had). */
export type Ended = { state: "gone" } | { state: "other" } | { state: "ended"; owner: string | undefined };

/** Reads the end script's answers, one per key. */
export function parseEnded(reply: unknown, count: number): Ended[] {
  return answers(reply, count).map((text) => {
    if (text === "gone" || text === "other") return { state: text };
    if (!text.startsWith("=")) throw new Error("unexpected reply from the end script");
    return { state: "ended", owner: text.length > 1 ? text.slice(1) : undefined };
  });
}

/** Reads the info script's answers, one per key: the session's times, or undefined if it is not a live one of the owner. */
export function parseInfo(reply: unknown, count: number): Array<{ createdAt: number; expiresAt: number | undefined } | undefined> {
  return answers(reply, count).map((text) => {
    const match = /^=(\d+),(?:=(\d+))?$/.exec(text);
    return match ? { createdAt: Number(match[1]), expiresAt: match[2] === undefined ? undefined : Number(match[2]) } : undefined;
  });
}

function answers(reply: unknown, count: number): string[] {
  if (!Array.isArray(reply) || reply.length !== count) throw new Error("unexpected reply from a session script");
  return reply.map(String);
}
