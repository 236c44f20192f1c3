--[[
  trim(zset, hash, capacity): drops the oldest members (ties: lowest record
  key) beyond `capacity`, from the zset and its values hash. Works in chunks
  of 1000 so `unpack` stays within Lua's stack.
]]
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
