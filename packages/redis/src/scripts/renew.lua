--[[
  renew: extends the lease if the token still holds it (compare-and-set).

  Input:
    KEYS[1] lease
    ARGV[1] token  ARGV[2] new expiry
  The lease key's PEXPIRE (garbage collection only) is renewed with the
  `lifetime` open wrote.
  Output: 1 (renewed) or 0 (not ours)
]]
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'expires', ARGV[2])
redis.call('PEXPIRE', KEYS[1], redis.call('HGET', KEYS[1], 'lifetime'))
return 1
