/**
 * The Redis script of destroy(): the hash and its place in the owner index go in one step.
 *
 * KEYS[1]  the session's hash
 * ARGV[1]  prefix of owner index keys
 * ARGV[2]  the session id
 *
 * Returns 1 when a hash was deleted, 0 when there was none.
 *
 * @module
 */

import { RedisScript } from "./script.ts";

export const DESTROY_SCRIPT: RedisScript = new RedisScript(
  "destroy",
  `
local owner = redis.call('HGET', KEYS[1], 'm:o')
local deleted = redis.call('DEL', KEYS[1])
if owner then redis.call('ZREM', ARGV[1] .. string.sub(owner, 2), ARGV[2]) end
return deleted
`,
);
