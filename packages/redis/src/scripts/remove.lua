--[[
  remove: cancels named records. They go from the timeline, and from a
  snapshot whose lease is not held at now (one a failed digest left); the
  records of a digest holding its lease are being delivered and stay. The
  schedule is unchanged.

  Input:
    KEYS[1] timeline  KEYS[2] values  KEYS[3] snapshot  KEYS[4] snapshot-values
    KEYS[5] lease
    ARGV[1] now, then the record keys
  Output: how many records were removed (a record key in both counts twice)
]]
--- @include "includes/lease-held.lua"
local snapshot = not lease_held(KEYS[5], tonumber(ARGV[1]))
local removed = 0
for first = 2, #ARGV, 1000 do
  local last = math.min(first + 999, #ARGV)
  removed = removed + redis.call('ZREM', KEYS[1], unpack(ARGV, first, last))
  redis.call('HDEL', KEYS[2], unpack(ARGV, first, last))
  if snapshot then
    removed = removed + redis.call('ZREM', KEYS[3], unpack(ARGV, first, last))
    redis.call('HDEL', KEYS[4], unpack(ARGV, first, last))
  end
end
return removed
