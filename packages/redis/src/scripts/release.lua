--[[
  release: drops the lease if the token holds it (compare-and-delete).
  Records stay where they are.

  Input:
    KEYS[1] lease
    ARGV[1] token
  Output: 1 (released) or 0 (not ours)
]]
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
