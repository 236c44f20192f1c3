--[[
  forget(prefix, key): every key of one timeline and its schedule entries,
  as `delete` does. Builds the names from the shard prefix exactly like
  `timelineKeys` in `keys.ts` (all share the prefix's hash tag, so they are
  in this script's slot on a cluster).
]]
local function forget(prefix, key)
  redis.call('DEL', prefix .. 'timeline:' .. key, prefix .. 'values:' .. key,
    prefix .. 'snapshot:' .. key, prefix .. 'snapshot-values:' .. key,
    prefix .. 'last:' .. key, prefix .. 'lease:' .. key,
    prefix .. 'quarantine:' .. key, prefix .. 'quarantine-values:' .. key)
  redis.call('ZREM', prefix .. 'waiting', key)
  redis.call('ZREM', prefix .. 'ready', key)
  redis.call('ZREM', prefix .. 'touched', key)
end
