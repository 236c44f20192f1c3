--[[
  flush: a waiting key becomes ready with score now; otherwise nothing.

  Input:
    KEYS[1] waiting  KEYS[2] ready
    ARGV[1] timeline key  ARGV[2] now
  Output: 1 (flushed) or 0
]]
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
