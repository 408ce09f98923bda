/**
 * The Redis scripts of an owner's index (a sorted set of session ids, each scored by the latest
 * expiry a save announced when it added the id). Each touches one key, the index, so it runs in
 * that key's hash slot; the sessions themselves are asked one by one (see owner-index.ts).
 *
 * @module
 */

import { RedisScript } from "./script.ts";

/**
 * One page of the index by `ZSCAN` (every id present for the whole scan is returned at least
 * once; ids added meanwhile may or may not be).
 *
 * KEYS[1]  the owner's index
 * ARGV[1]  the cursor ("0" to start)
 * ARGV[2]  COUNT, the page size asked for
 *
 * Returns a flat array: "=" .. next cursor ("=0" when done), then "=" .. id, "=" .. score, ...
 * (each starts with "=", so a client's automatic JSON parsing leaves ids alone).
 */
export const INDEX_PAGE_SCRIPT: RedisScript = new RedisScript(
  "indexPage",
  `
local page = redis.call('ZSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
local out = { '=' .. page[1] }
for i = 1, #page[2] do out[#out + 1] = '=' .. page[2][i] end
return out
`,
);

/**
 * Drops ids from the index: `dropped` ones (sessions ended for good) at once, `stale` ones (no
 * hash, or another owner's) only once the expiry announced with their last add has passed. Until
 * then a stale-looking id may be a save in flight that added it and has not written its hash yet.
 *
 * KEYS[1]  the owner's index
 * ARGV[1]  now, ms since the epoch
 * ARGV[2]  n, the number of dropped ids that follow; the stale ids come after them
 */
export const INDEX_PRUNE_SCRIPT: RedisScript = new RedisScript(
  "indexPrune",
  `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
for i = 3, 2 + n do redis.call('ZREM', KEYS[1], ARGV[i]) end
for i = 3 + n, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) <= now then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return 0
`,
);
