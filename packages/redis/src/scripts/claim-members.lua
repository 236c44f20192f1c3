--[[
  claim-members: moves exactly the named keys from waiting to ready, keeping
  their scores — each only if it is still waiting with score <= deadline
  (another scheduler may have taken it since it was peeked). Moving the
  peeked members, never "the first n", keeps `schedule` earliest first
  across shards when several schedulers run at once.

  Input:
    KEYS[1] waiting  KEYS[2] ready
    ARGV[1] deadline, then the timeline keys
  Output: {key, score, ...} of the keys this call moved, in argument order
]]
local deadline = tonumber(ARGV[1])
local moved = {}
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) <= deadline then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('ZADD', KEYS[2], score, ARGV[i])
    moved[#moved + 1] = ARGV[i]
    moved[#moved + 1] = score
  end
end
return moved
