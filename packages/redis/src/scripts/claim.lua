--[[
  claim: moves up to `limit` waiting keys with score <= deadline to ready,
  keeping their scores, and replies them earliest first. Used when there is
  one shard (no peek needed).

  Input:
    KEYS[1] waiting  KEYS[2] ready
    ARGV[1] deadline  ARGV[2] limit
  Output: {key, score, ...} earliest first
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0,
  tonumber(ARGV[2]))
for i = 1, #due, 2 do
  redis.call('ZREM', KEYS[1], due[i])
  redis.call('ZADD', KEYS[2], due[i + 1], due[i])
end
return due
