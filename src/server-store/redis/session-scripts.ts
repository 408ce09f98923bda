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
 * Reads sessions for `list()`: whether each is a live session of the owner, its times, and the
 * values of the store's `listed` keys.
 *
 * KEYS     the sessions' hashes
 * ARGV[1]  the owner
 * ARGV[2+] the fields of the listed keys (`d:<key>`), if any
 *
 * Returns, for each key in order, 1 + (listed keys) answers: "gone", "other", or its `m:c`, `m:e`
 * and `m:s` fields (each "=" .. ms since the epoch) joined by ",", the last two empty for hashes
 * written before those fields existed; then each listed field's stored value ("=" .. JSON), or "-"
 * where it has none (or is not a live session of the owner).
 */
export const INFO_SCRIPT: RedisScript = new RedisScript(
  "info",
  `
local out = {}
local listed = #ARGV - 1
for _, key in ipairs(KEYS) do
  local fields = redis.call('HMGET', key, 'm:c', 'm:e', 'm:o', 'm:s', unpack(ARGV, 2))
  local live = fields[1] and fields[3] == '=' .. ARGV[1]
  if not fields[1] then
    out[#out + 1] = 'gone'
  elseif not live then
    out[#out + 1] = 'other'
  else
    out[#out + 1] = fields[1] .. ',' .. (fields[2] or '') .. ',' .. (fields[4] or '')
  end
  for i = 1, listed do out[#out + 1] = (live and fields[4 + i]) or '-' end
end
return out
`,
);

/**
 * Records a request's use of a session that it did not save: sets `m:s` only if the hash is there,
 * so it never brings back a destroyed (or expired) session, and leaves its data and expiry alone;
 * and only if the stored time is not after ARGV[2], so of requests racing to touch it, one writes.
 *
 * KEYS[1]  the session's hash
 * ARGV[1]  the time, ms since the epoch
 * ARGV[2]  the stored time must not be after this (ms since the epoch)
 *
 * Returns 1 when written, 0 when the hash was gone or its time recent.
 */
export const TOUCH_SCRIPT: RedisScript = new RedisScript(
  "touch",
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local seen = redis.call('HGET', KEYS[1], 'm:s')
if seen and tonumber(string.sub(seen, 2)) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'm:s', '=' .. ARGV[1])
return 1
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

/** A session as the info script describes it: its times and its listed values ("=" .. JSON, or undefined). */
export interface Info {
  createdAt: number;
  /** Undefined for a hash written before `m:e` existed. */
  expiresAt: number | undefined;
  /** Undefined for a hash written before `m:s` existed. */
  lastSeenAt: number | undefined;
  values: Array<string | undefined>;
}

/**
 * Reads the info script's answers, `1 + listed` per key: each session's times and listed values,
 * or undefined if it is not a live one of the owner.
 */
export function parseInfo(reply: unknown, count: number, listed = 0): Array<Info | undefined> {
  const flat = answers(reply, count * (1 + listed));
  const infos: Array<Info | undefined> = [];
  for (let at = 0; at < flat.length; at += 1 + listed) {
    const match = /^=(\d+),(?:=(\d+))?(?:,(?:=(\d+))?)?$/.exec(flat[at]!);
    const optional = (digits: string | undefined) => (digits === undefined ? undefined : Number(digits));
    const values = flat.slice(at + 1, at + 1 + listed).map((text) => (text.startsWith("=") ? text : undefined));
    infos.push(match ? { createdAt: Number(match[1]), expiresAt: optional(match[2]), lastSeenAt: optional(match[3]), values } : undefined);
  }
  return infos;
}

function answers(reply: unknown, count: number): string[] {
  if (!Array.isArray(reply) || reply.length !== count) throw new Error("unexpected reply from a session script");
  return reply.map(String);
}
