--[[
  delete-quarantined: deletes the named quarantined values of a key, or all
  of them when no record key is given.

  Input:
    KEYS[1] quarantine  KEYS[2] quarantine-values
    ARGV[1] 'all' or 'named', then the record keys
  Output: how many were deleted
]]
if ARGV[1] == 'all' then
  local count = redis.call('ZCARD', KEYS[1])
  redis.call('DEL', KEYS[1], KEYS[2])
  return count
end
local deleted = 0
for first = 2, #ARGV, 1000 do
  local last = math.min(first + 999, #ARGV)
  deleted = deleted + redis.call('ZREM', KEYS[1], unpack(ARGV, first, last))
  redis.call('HDEL', KEYS[2], unpack(ARGV, first, last))
end
return deleted
