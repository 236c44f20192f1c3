--[[
  claim-all: `claim` over every shard in one atomic step, for a standalone
  server (every shard on one node, so one script may touch them all; a
  cluster client uses claim-members.lua per shard instead). Reads each
  shard's earliest `limit` due keys, merges them earliest first (score,
  then key bytes — includes/byte-less.lua, the order of a sorted set), and
  moves the first `limit` from waiting to ready, keeping their scores.
  One round trip per chunk, whatever the number of shards, and no other
  scheduler can take a key in between.

  Cost: O(shards × log n) to read, O(limit × shards) to merge,
  O(limit × log n) to move.

  Input:
    KEYS[1] … KEYS[s] waiting of shards 0 … s-1, KEYS[s+1] … KEYS[2s] their ready
    ARGV[1] deadline  ARGV[2] limit
  Output: {key, score, ...} earliest first
]]
--- @include "includes/byte-less.lua"
local shards = #KEYS / 2
local limit = tonumber(ARGV[2])
local lists, heads = {}, {}
for s = 1, shards do
  lists[s] = redis.call('ZRANGEBYSCORE', KEYS[s], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, limit)
  heads[s] = 1
end
local moved = {}
for _ = 1, limit do
  local best, best_score, best_key
  for s = 1, shards do
    local list, i = lists[s], heads[s]
    if i < #list then
      local key, score = list[i], tonumber(list[i + 1])
      if best == nil or score < best_score or (score == best_score and byte_less(key, best_key)) then
        best, best_score, best_key = s, score, key
      end
    end
  end
  if best == nil then break end
  local i = heads[best]
  local key, score = lists[best][i], lists[best][i + 1]
  redis.call('ZREM', KEYS[best], key)
  redis.call('ZADD', KEYS[shards + best], score, key)
  moved[#moved + 1] = key
  moved[#moved + 1] = score
  heads[best] = i + 2
end
return moved
