/**
 * The Redis script of destroyAll(owner, { except }): every session of the owner but one, and the
 * index entries, in one step, so no save that runs after it finds a hash to update.
 *
 * KEYS[1]  the owner's index (a sorted set of session ids scored by expiry)
 * ARGV[1]  prefix of session hashes (the hash of id i is ARGV[1] .. i)
 * ARGV[2]  the id to spare, or ""
 *
 * Returns how many session hashes were deleted.
 *
 * @module
 */

import { RedisScript } from "./script.ts";

export const DESTROY_ALL_SCRIPT: RedisScript = new RedisScript(
  "destroyAll",
  `
local deleted = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if id ~= ARGV[2] then
    deleted = deleted + redis.call('DEL', ARGV[1] .. id)
    redis.call('ZREM', KEYS[1], id)
  end
end
return deleted
`,
);
