/**
 * Lua helpers shared by the scripts. They build a timeline's key names from
 * its shard prefix exactly like `timelineKeys` in `../keys.ts`; all those keys
 * share the prefix's hash tag, so a script may reach them on a cluster.
 *
 * @module
 */

/**
 * `lease_held(lease_key, now)`, `trim(zset, hash, capacity)` and
 * `forget(prefix, key)`, to be prepended to a script.
 *
 * @example
 * ```ts
 * const source = `${PRELUDE}\nreturn forget(ARGV[1], ARGV[2])`;
 * ```
 */
export const PRELUDE = `
local function lease_held(lease_key, now)
  local expires = redis.call('HGET', lease_key, 'expires')
  return expires and tonumber(expires) > now
end

-- Drops the oldest members (ties: lowest record key) beyond capacity.
local function trim(zset, hash, capacity)
  local excess = redis.call('ZCARD', zset) - capacity
  while excess > 0 do
    local n = math.min(excess, 1000)
    local victims = redis.call('ZRANGE', zset, 0, n - 1)
    redis.call('ZREM', zset, unpack(victims))
    redis.call('HDEL', hash, unpack(victims))
    excess = excess - n
  end
end

local function forget(prefix, key)
  redis.call('DEL', prefix .. 'timeline:' .. key, prefix .. 'values:' .. key,
    prefix .. 'snapshot:' .. key, prefix .. 'snapshot-values:' .. key,
    prefix .. 'last:' .. key, prefix .. 'lease:' .. key)
  redis.call('ZREM', prefix .. 'waiting', key)
  redis.call('ZREM', prefix .. 'ready', key)
  redis.call('ZREM', prefix .. 'touched', key)
end
`;
