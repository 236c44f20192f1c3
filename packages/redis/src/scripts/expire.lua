--[[
  expire: one chunk of the `ttl` rule. Timelines last touched at or before
  the cutoff whose lease is not held at now are discarded, every key
  (includes/forget.lua).

  Input:
    KEYS[1] waiting  KEYS[2] ready  KEYS[3] touched
    ARGV[1] shard prefix  ARGV[2] cutoff  ARGV[3] now  ARGV[4] offset
    ARGV[5] chunk size
  Output: {discarded, kept, seen}
]]
--- @include "includes/lease-held.lua"
--- @include "includes/forget.lua"
local now = tonumber(ARGV[3])
local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[2], 'LIMIT',
  tonumber(ARGV[4]), tonumber(ARGV[5]))
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
