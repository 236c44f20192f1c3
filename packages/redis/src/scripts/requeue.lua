--[[
  requeue: one chunk of `maintenance`. Ready keys with score <= deadline
  whose lease is not held at now go back to waiting with their score. Keys
  whose lease is held stay, so the caller passes how many it has kept so far
  as the offset of its next chunk.

  Input:
    KEYS[1] waiting  KEYS[2] ready
    ARGV[1] shard prefix  ARGV[2] deadline  ARGV[3] now  ARGV[4] offset
    ARGV[5] chunk size
  Output: {moved, kept, seen}
]]
--- @include "includes/lease-held.lua"
local now = tonumber(ARGV[3])
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'WITHSCORES', 'LIMIT',
  tonumber(ARGV[4]), tonumber(ARGV[5]))
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
