import { LuaScript } from '../lua-script.js';
import { PRELUDE } from './prelude.js';

/**
 * One chunk of `maintenance`: ready keys with score ≤ deadline whose lease is
 * not held go back to waiting with their score. Leased keys stay, so the
 * caller passes how many it has kept so far as the offset of the next chunk.
 * Replies `{moved, kept, seen}`.
 *
 * KEYS: waiting, ready. ARGV: shard prefix, deadline, now, offset, limit.
 *
 * @example
 * ```ts
 * const [moved, kept, seen] = await RESCUE_READY.run(client, keys, args);
 * ```
 */
export const RESCUE_READY = new LuaScript(
  'rescue-ready',
  `${PRELUDE}
local now = tonumber(ARGV[3])
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'WITHSCORES', 'LIMIT', tonumber(ARGV[4]), tonumber(ARGV[5]))
local moved, kept = 0, 0
for i = 1, #due, 2 do
  if lease_held(ARGV[1] .. 'lease:' .. due[i], now) then
    kept = kept + 1
  else
    redis.call('ZREM', KEYS[2], due[i])
    redis.call('ZADD', KEYS[1], due[i + 1], due[i])
    moved = moved + 1
  end
end
return {moved, kept, #due / 2}
`,
);

/**
 * One chunk of the `ttl` rule: timelines last touched at or before the
 * cutoff (now − ttl) whose lease is not held are discarded, every key.
 * Replies `{discarded, kept, seen}`.
 *
 * KEYS: waiting, ready, touched. ARGV: shard prefix, cutoff, now, offset, limit.
 *
 * @example
 * ```ts
 * const [discarded, kept, seen] = await EXPIRE.run(client, keys, args);
 * ```
 */
export const EXPIRE = new LuaScript(
  'expire',
  `${PRELUDE}
local now = tonumber(ARGV[3])
local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[2], 'LIMIT', tonumber(ARGV[4]), tonumber(ARGV[5]))
local discarded, kept = 0, 0
for i = 1, #stale do
  if lease_held(ARGV[1] .. 'lease:' .. stale[i], now) then
    kept = kept + 1
  else
    forget(ARGV[1], stale[i])
    discarded = discarded + 1
  end
end
return {discarded, kept, #stale}
`,
);
