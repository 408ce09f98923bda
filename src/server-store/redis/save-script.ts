/**
 * The Redis script of a save, shared by every Redis transport (HTTP and TCP).
 *
 * KEYS[1]  the session's hash
 * KEYS[2]  the hash of the id before regenerate() (only when there is one): it must exist
 * ARGV[1]  "1": update only an existing hash, never create one (the session was loaded)
 * ARGV[2]  "1": drop every field first (the plan holds the whole session)
 * ARGV[3]  expiry, ms since the epoch (PEXPIREAT of the hash and the owner index's score)
 * ARGV[4]  now, ms since the epoch (owner index members scored at or below it are expired)
 * ARGV[5]  owner: "k" keeps the stored one, "d" drops it, "s<name>" sets it
 * ARGV[6]  prefix of owner index keys (the index of owner o is ARGV[6] .. o)
 * ARGV[7]  the session id, ARGV[8] the previous id or ""
 * ARGV[9]  n, the number of field/value pairs that follow; after them, fields to delete
 *
 * Returns 1 when written; 0, having written nothing, when ARGV[1] asked for an existing hash and
 * there was none, or when the previous id's hash is gone (destroyed, expired): a regenerated
 * session that another request signed out meanwhile is not moved to a new id.
 *
 * Owner index keys are built inside the script (the owner is read from the hash), so they are not
 * declared in KEYS: fine on a single Redis and on Upstash, not on Redis Cluster.
 *
 * @module
 */

import { RedisScript } from "./script.ts";

export const SAVE_SCRIPT: RedisScript = new RedisScript(
  "save",
  `
local key = KEYS[1]
if ARGV[1] == '1' and redis.call('EXISTS', key) == 0 then return 0 end
if ARGV[8] ~= '' and redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local expiresAt, now, ownerOp, indexPrefix, id, previousId = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local before = redis.call('HGET', key, 'm:o')
if previousId ~= '' then
  local previousOwner = redis.call('HGET', KEYS[2], 'm:o')
  redis.call('DEL', KEYS[2])
  if previousOwner then redis.call('ZREM', indexPrefix .. string.sub(previousOwner, 2), previousId) end
end
if ARGV[2] == '1' then redis.call('DEL', key) end
local n = tonumber(ARGV[9])
local fields = {}
for i = 10, 9 + 2 * n do fields[#fields + 1] = ARGV[i] end
if ownerOp ~= 'k' and ownerOp ~= 'd' then
  fields[#fields + 1] = 'm:o'
  fields[#fields + 1] = '=' .. string.sub(ownerOp, 2)
end
redis.call('HSET', key, unpack(fields))
local removed = {}
for i = 10 + 2 * n, #ARGV do removed[#removed + 1] = ARGV[i] end
if ownerOp == 'd' then removed[#removed + 1] = 'm:o' end
if #removed > 0 then redis.call('HDEL', key, unpack(removed)) end
redis.call('PEXPIREAT', key, expiresAt)
local after = redis.call('HGET', key, 'm:o')
if before and before ~= after then redis.call('ZREM', indexPrefix .. string.sub(before, 2), id) end
if after then
  local index = indexPrefix .. string.sub(after, 2)
  redis.call('ZADD', index, expiresAt, id)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  -- The index lives as long as its longest-lived session.
  local last = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', index, last[2])
end
return 1
`,
);
