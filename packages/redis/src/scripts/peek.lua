--[[
  peek: one page of a key's records — timeline and snapshot — in peek
  order (timestamp descending, then record key descending by bytes, a
  timeline record before a snapshot record of the same key), strictly after
  the cursor, at most `limit`. Read-only: no lease, no touch, no schedule
  change; it reads the snapshot of a running digest as it is.

  A sorted set keeps (score, member bytes) ascending, the exact reverse of
  peek order, so each set's records after the cursor are a prefix of ranks
  [0, c): ZCOUNT gives the ranks below the cursor's timestamp, and a binary
  search over the members of that one timestamp (byte order,
  includes/byte-less.lua) finds where the cursor's key falls — a snapshot
  record of the cursor's own key still comes after a timeline cursor. The
  page is then the top `limit` ranks below c of each set, merged.

  Cost: O(log² n) to find the cursor in each set (O(1) without one), plus
  O(log n + limit) to read each set's candidates and values; never a scan.

  Input:
    KEYS[1] timeline  KEYS[2] values  KEYS[3] snapshot  KEYS[4] snapshot-values
    ARGV[1] limit  ARGV[2] after timestamp ('' = from the newest)
    ARGV[3] after record key  ARGV[4] after is a snapshot record ('1' or '')
  Output: {record key, timestamp, value, 0 (timeline) | 1 (snapshot), ...}
]]
--- @include "includes/byte-less.lua"
local limit = tonumber(ARGV[1])

-- How many ranks of `set` (ascending) come strictly after the cursor in peek
-- order. With `inclusive`, a member equal to the cursor key counts too.
local function after_count(set, inclusive)
  if ARGV[2] == '' then return redis.call('ZCARD', set) end
  local lo = redis.call('ZCOUNT', set, '-inf', '(' .. ARGV[2])
  local hi = lo + redis.call('ZCOUNT', set, ARGV[2], ARGV[2])
  -- First rank in [lo, hi) whose member does not come after the cursor key.
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local member = redis.call('ZRANGE', set, mid, mid)[1]
    local before
    if inclusive then before = byte_less(ARGV[3], member) else before = not byte_less(member, ARGV[3]) end
    if before then hi = mid else lo = mid + 1 end
  end
  return lo
end

-- The set's first `limit` records after the cursor, in peek order: {member, score, ...}.
local function candidates(set, inclusive)
  local stop = after_count(set, inclusive)
  if stop == 0 then return {} end
  local found = redis.call('ZRANGE', set, math.max(stop - limit, 0), stop - 1, 'WITHSCORES')
  local reversed = {}
  for k = #found - 1, 1, -2 do
    reversed[#reversed + 1] = found[k]
    reversed[#reversed + 1] = found[k + 1]
  end
  return reversed
end

-- A snapshot record of the cursor's key follows a timeline cursor.
local timeline = candidates(KEYS[1], false)
local snapshot = candidates(KEYS[3], ARGV[4] ~= '1')

-- Merge the two runs; remember which members of each hash to read.
local order, from_timeline, from_snapshot = {}, {}, {}
local i, j = 1, 1
while #order < limit and (i <= #timeline or j <= #snapshot) do
  local take_timeline
  if j > #snapshot then
    take_timeline = true
  elseif i > #timeline then
    take_timeline = false
  else
    local ta, tb = tonumber(timeline[i + 1]), tonumber(snapshot[j + 1])
    take_timeline = ta > tb or (ta == tb and not byte_less(timeline[i], snapshot[j]))
  end
  if take_timeline then
    order[#order + 1] = 0
    from_timeline[#from_timeline + 1] = i
    i = i + 2
  else
    order[#order + 1] = 1
    from_snapshot[#from_snapshot + 1] = j
    j = j + 2
  end
end

-- HMGET in chunks of 1000 (Lua's unpack limit).
local function values_of(hash, ids, positions)
  local values = {}
  for base = 1, #positions, 1000 do
    local members = {}
    for k = base, math.min(base + 999, #positions) do members[#members + 1] = ids[positions[k]] end
    local chunk = redis.call('HMGET', hash, unpack(members))
    for k = 1, #chunk do values[#values + 1] = chunk[k] end
  end
  return values
end

local timeline_values = values_of(KEYS[2], timeline, from_timeline)
local snapshot_values = values_of(KEYS[4], snapshot, from_snapshot)
local reply = {}
local ti, si = 1, 1
for _, flag in ipairs(order) do
  local ids, at, value
  if flag == 0 then
    ids, at, value = timeline, from_timeline[ti], timeline_values[ti]
    ti = ti + 1
  else
    ids, at, value = snapshot, from_snapshot[si], snapshot_values[si]
    si = si + 1
  end
  reply[#reply + 1] = ids[at]
  reply[#reply + 1] = ids[at + 1]
  reply[#reply + 1] = value
  reply[#reply + 1] = flag
end
return reply
