/**
 * The Redis script of a save, shared by every Redis transport (HTTP and TCP, one Redis or a
 * Cluster). It touches one key, the session's hash, so it runs in that key's hash slot wherever
 * the slot lives; the owner index is changed by the driver around it (see driver.ts).
 *
 * KEYS[1]  the session's hash
 * ARGV[1]  "1": update only an existing hash, never create one (the session was loaded)
 * ARGV[2]  "1": drop every field first (the plan holds the whole session)
 * ARGV[3]  expiry, ms since the epoch (PEXPIREAT of the hash, and its `m:e` field)
 * ARGV[4]  owner: "k" keeps the stored one, "d" drops it, "s<name>" sets it
 * ARGV[5]  n, the number of field/value pairs that follow; after them, fields to delete
 *
 * Returns 1 when written; 0, having written nothing, when ARGV[1] asked for an existing hash and
 * there was none: a session another request destroyed is not brought back.
 *
 * @module
 */

import { RedisScript } from "./script.ts";

export const SAVE_SCRIPT: RedisScript = new RedisScript(
  "save",
  `
local key = KEYS[1]
if ARGV[1] == '1' and redis.call('EXISTS', key) == 0 then return 0 end
if ARGV[2] == '1' then redis.call('DEL', key) end
local n = tonumber(ARGV[5])
local fields = { 'm:e', '=' .. ARGV[3] }
for i = 6, 5 + 2 * n do fields[#fields + 1] = ARGV[i] end
local ownerOp = ARGV[4]
if ownerOp ~= 'k' and ownerOp ~= 'd' then
  fields[#fields + 1] = 'm:o'
  fields[#fields + 1] = '=' .. string.sub(ownerOp, 2)
end
redis.call('HSET', key, unpack(fields))
local removed = {}
for i = 6 + 2 * n, #ARGV do removed[#removed + 1] = ARGV[i] end
if ownerOp == 'd' then removed[#removed + 1] = 'm:o' end
if #removed > 0 then redis.call('HDEL', key, unpack(removed)) end
redis.call('PEXPIREAT', key, ARGV[3])
return 1
`,
);
