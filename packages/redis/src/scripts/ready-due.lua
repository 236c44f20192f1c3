--[[
  ready-due: which shards hold a ready key with score <= deadline, for a
  standalone server (every shard on one node, so one read-only script may
  read them all). `maintenance` then runs requeue.lua only on those shards:
  a pass that finds nothing to rescue (the usual case) is one call, not one
  per shard.

  Input:
    KEYS[1] … KEYS[s] the ready set of shards 0 … s-1
    ARGV[1] deadline
  Output: {index, ...} the 0-based shards with such a key
]]
local due = {}
for s = 1, #KEYS do
  if redis.call('ZCOUNT', KEYS[s], '-inf', ARGV[1]) > 0 then due[#due + 1] = s - 1 end
end
return due
