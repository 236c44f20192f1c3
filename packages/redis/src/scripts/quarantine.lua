--[[
  quarantine: moves the named snapshot records, raw, into the key's
  quarantine, if the token still holds the lease. They are never decoded
  here and never dropped: `quarantined` reads them, `deleteQuarantined`
  removes them. They do not count as delivered: a digest of nothing but
  quarantined records commits as an empty one.

  Input:
    KEYS[1] snapshot  KEYS[2] snapshot-values  KEYS[3] quarantine
    KEYS[4] quarantine-values  KEYS[5] lease
    ARGV[1] token, then the record keys
  Output: how many records moved
]]
if redis.call('HGET', KEYS[5], 'token') ~= ARGV[1] then return 0 end
local moved = 0
for i = 2, #ARGV do
  local at = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if at then
    redis.call('ZADD', KEYS[3], at, ARGV[i])
    redis.call('HSET', KEYS[4], ARGV[i], redis.call('HGET', KEYS[2], ARGV[i]))
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
    moved = moved + 1
  end
end
return moved
