--[[
  open: take the lease and move the timeline into the snapshot, in one step.

  Checks the lease (held by another digest at now: 'conflict') and the state
  (not ready: 'not-ready'). Merges the timeline into the snapshot a failed
  digest left (a record key in both keeps the newer timestamp, the
  timeline's on a tie); with no snapshot the timeline is RENAMEd, O(1).
  Trims the snapshot to `capacity` newest, takes the lease, touches.

  Replies the snapshot's records, or with `limit` only its oldest `limit`
  (timestamp ascending, then record key ascending by bytes — the sorted
  set's own order), oldest first as two arrays: {key, timestamp, ...} and
  the values in the same order.

  Cost: O(t log n) for the t records added since the last open (the merge),
  plus O(e log n) for e records trimmed, plus O(log n + m) for the m records
  replied (m = limit when given, else the whole snapshot).

  Input:
    KEYS[1] timeline  KEYS[2] values  KEYS[3] snapshot  KEYS[4] snapshot-values
    KEYS[5] lease     KEYS[6] ready   KEYS[7] touched
    ARGV[1] timeline key  ARGV[2] now  ARGV[3] token  ARGV[4] lease expires
    ARGV[5] lease key PEXPIRE ms (kept as `lifetime` for renewals)  ARGV[6] capacity ('')  ARGV[7] limit ('')
    ARGV[8] ttl bookkeeping ('' = off)
  Output: {'conflict'} | {'not-ready'} | {'opened', {key, timestamp, ...}, {value, ...}}
]]
--- @include "includes/lease-held.lua"
--- @include "includes/trim.lua"
if lease_held(KEYS[5], tonumber(ARGV[2])) then return {'conflict'} end
if not redis.call('ZSCORE', KEYS[6], ARGV[1]) then return {'not-ready'} end
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('EXISTS', KEYS[3]) == 0 then
    redis.call('RENAME', KEYS[1], KEYS[3])
    redis.call('RENAME', KEYS[2], KEYS[4])
  else
    local records = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
    for i = 1, #records, 2 do
      local member = records[i]
      local held = redis.call('ZSCORE', KEYS[3], member)
      if (not held) or tonumber(records[i + 1]) >= tonumber(held) then
        redis.call('ZADD', KEYS[3], records[i + 1], member)
        redis.call('HSET', KEYS[4], member, redis.call('HGET', KEYS[2], member))
      end
    end
    redis.call('DEL', KEYS[1], KEYS[2])
  end
end
if ARGV[6] ~= '' then trim(KEYS[3], KEYS[4], tonumber(ARGV[6])) end
redis.call('HSET', KEYS[5], 'token', ARGV[3], 'expires', ARGV[4], 'lifetime', ARGV[5])
redis.call('PEXPIRE', KEYS[5], ARGV[5])
if ARGV[8] ~= '' then redis.call('ZADD', KEYS[7], ARGV[2], ARGV[1]) end
local ids
if ARGV[7] ~= '' then
  ids = redis.call('ZRANGE', KEYS[3], 0, tonumber(ARGV[7]) - 1, 'WITHSCORES')
else
  ids = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
end
-- The values in the same order, read with HMGET in chunks of 1000 (Lua's
-- unpack limit). Replied as two arrays, oldest first; the client turns
-- them newest first (cheaper than interleaving here, inside Redis).
local values = {}
local count = #ids / 2
local base = 1
while base <= count do
  local last = math.min(base + 999, count)
  local members = {}
  for j = base, last do members[j - base + 1] = ids[2 * j - 1] end
  local chunk = redis.call('HMGET', KEYS[4], unpack(members))
  if base == 1 and last == count then
    values = chunk
  else
    for j = 1, #chunk do values[base + j - 1] = chunk[j] end
  end
  base = last + 1
end
return {'opened', ids, values}
