--[[
  stats: counts one shard — waiting keys, ready keys, records held
  (timelines plus snapshots of every scheduled key) and the lowest waiting
  score. Read-only; O(keys in the shard): for dashboards, not hot paths.

  Input:
    KEYS[1] waiting  KEYS[2] ready
    ARGV[1] shard prefix
  Output: {waiting, ready, records, lowest waiting score|false}
]]
local records = 0
for _, set in ipairs({KEYS[1], KEYS[2]}) do
  for _, key in ipairs(redis.call('ZRANGE', set, 0, -1)) do
    records = records + redis.call('ZCARD', ARGV[1] .. 'timeline:' .. key)
      + redis.call('ZCARD', ARGV[1] .. 'snapshot:' .. key)
  end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), records, first[2] or false}
