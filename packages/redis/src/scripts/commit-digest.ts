import { LuaScript } from '../lua-script.js';

/**
 * Digest close: only if the lease token is still ours, drop the snapshot and
 * the lease; then, if the snapshot or the timeline (records added meanwhile)
 * held anything, L = now and the key waits until now + minimumDelay; else
 * every key of the timeline goes. Replies 0 (lease lost), 1 (waiting), 2 (absent).
 *
 * KEYS: timeline, values, snapshot, snapshot-values, last, lease, waiting, ready, touched.
 * ARGV: key, token, now, due, ttl bookkeeping ('' = off).
 *
 * @example
 * ```ts
 * if ((await COMMIT_DIGEST.run(client, keys, args)) === 0) throw new LeaseLostError('…');
 * ```
 */
export const COMMIT_DIGEST = new LuaScript(
  'commit-digest',
  `
if redis.call('HGET', KEYS[6], 'token') ~= ARGV[2] then return 0 end
local delivered = redis.call('ZCARD', KEYS[3]) > 0
redis.call('DEL', KEYS[3], KEYS[4], KEYS[6])
if delivered or redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('SET', KEYS[5], ARGV[3])
  redis.call('ZREM', KEYS[8], ARGV[1])
  redis.call('ZADD', KEYS[7], ARGV[4], ARGV[1])
  if ARGV[5] ~= '' then redis.call('ZADD', KEYS[9], ARGV[3], ARGV[1]) end
  return 1
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[5])
redis.call('ZREM', KEYS[7], ARGV[1])
redis.call('ZREM', KEYS[8], ARGV[1])
redis.call('ZREM', KEYS[9], ARGV[1])
return 2
`,
);
