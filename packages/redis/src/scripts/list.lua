--[[
  list: one shard's part of a `list` page — up to `limit` keys of each
  schedule set asked for, strictly after (after score, after key) in
  schedule order (score, then key by bytes), with their sizes. The caller
  merges sets and shards.

  The start is found without a scan: ZCOUNT gives the first rank with the
  cursor's score, then a binary search over the members of that one score
  (byte order, includes/byte-less.lua) finds the first key after the
  cursor's — O(log² n), so many keys sharing one due time (a calendar
  window) page just as fast.

  Input:
    KEYS[1] waiting  KEYS[2] ready
    ARGV[1] shard prefix  ARGV[2] which: 'waiting', 'ready' or 'both'
    ARGV[3] limit  ARGV[4] after score ('' = from the start)  ARGV[5] after key
  Output: {key, 'w'|'r', score, size, ...}
]]
--- @include "includes/byte-less.lua"
local limit = tonumber(ARGV[3])
local reply = {}

local function start_of(set)
  if ARGV[4] == '' then return 0 end
  local lo = redis.call('ZCOUNT', set, '-inf', '(' .. ARGV[4])
  local hi = lo + redis.call('ZCOUNT', set, ARGV[4], ARGV[4])
  -- First rank in [lo, hi) whose member sorts after the cursor key.
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local member = redis.call('ZRANGE', set, mid, mid)[1]
    if byte_less(ARGV[5], member) then hi = mid else lo = mid + 1 end
  end
  return lo
end

local function collect(set, flag)
  local start = start_of(set)
  local found = redis.call('ZRANGE', set, start, start + limit - 1, 'WITHSCORES')
  for i = 1, #found, 2 do
    local key = found[i]
    reply[#reply + 1] = key
    reply[#reply + 1] = flag
    reply[#reply + 1] = found[i + 1]
    reply[#reply + 1] = redis.call('ZCARD', ARGV[1] .. 'timeline:' .. key)
      + redis.call('ZCARD', ARGV[1] .. 'snapshot:' .. key)
  end
end

if ARGV[2] ~= 'ready' then collect(KEYS[1], 'w') end
if ARGV[2] ~= 'waiting' then collect(KEYS[2], 'r') end
return reply
