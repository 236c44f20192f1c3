--[[
  quarantine: moves the named snapshot records, raw, into the key's
  quarantine, if the token still holds the lease. They are never decoded
  here and never dropped: `quarantined` reads them, `deleteQuarantined`
  removes them. The lease notes how many moved, so the commit still counts
  the digest as one whose snapshot held records (the key waits, L = now).

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
-- The snapshot held these records: commit must not treat the digest as empty.
if moved > 0 then redis.call('HINCRBY', KEYS[5], 'quarantined', moved) end
return moved
