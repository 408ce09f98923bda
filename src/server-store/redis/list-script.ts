/**
 * The Redis script of list(owner): prunes expired ids from the owner's index, then reports each
 * live session with its creation time, in one round trip.
 *
 * KEYS[1]  the owner's index (a sorted set of session ids scored by expiry)
 * ARGV[1]  prefix of session hashes
 * ARGV[2]  now, ms since the epoch
 *
 * Returns a flat array: "=" .. id, the hash's m:c field ("=" .. createdAt), "=" .. expiresAt, ...
 * (each starts with "=", so a client's automatic JSON parsing leaves them alone).
 *
 * @module
 */

import { RedisScript } from "./script.ts";

export const LIST_SCRIPT: RedisScript = new RedisScript(
  "list",
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local members = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #members, 2 do
  local created = redis.call('HGET', ARGV[1] .. members[i], 'm:c')
  if created then
    out[#out + 1] = '=' .. members[i]
    out[#out + 1] = created
    out[#out + 1] = '=' .. members[i + 1]
  else
    -- Deleted without the index knowing (by hand, or by an eviction policy): forget it.
    redis.call('ZREM', KEYS[1], members[i])
  end
end
return out
`,
);
