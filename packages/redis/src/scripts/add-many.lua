--[[
  add-many: the adds of one shard, each applied in order by the same
  add_record as `add` (includes/add-record.lua), in one atomic call.

  Input:
    KEYS[1] waiting   KEYS[2] ready   KEYS[3] touched
    then per add: timeline, values, last, snapshot
    ARGV[1] now   ARGV[2] ttl bookkeeping ('' = off)
    then per add: timeline key, record key, timestamp, encoded value,
      trim to (''), incrementDelay, maximumDelay, dueAt (''), flushThreshold ('')
  Output: one 1/0 per add, in order (1: deliver at once).
]]
--- @include "includes/trim.lua"
--- @include "includes/add-record.lua"
local results = {}
local n = (#ARGV - 2) / 9
for i = 0, n - 1 do
  local k = 3 + i * 4
  local a = 2 + i * 9
  results[i + 1] = add_record(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4],
    KEYS[1], KEYS[2], KEYS[3], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4],
    ARGV[a + 5], ARGV[a + 6], ARGV[a + 7], ARGV[a + 8], ARGV[a + 9], ARGV[1], ARGV[2])
end
return results
