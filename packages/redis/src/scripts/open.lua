--[[
  open: take the lease and move the timeline into the snapshot, in one step
  (includes/open-snapshot.lua), then reply the snapshot's records, or with
  `limit` only its oldest `limit` (timestamp ascending, then record key
  ascending by bytes — the sorted set's own order), oldest first as two
  arrays: {key, timestamp, ...} and the values in the same order, and the
  snapshot's size. The store uses it for a digest with a `limit`; one
  without reads the snapshot with plain commands after `open-whole.lua`.

  Cost: O(t log n) for the t records added since the last open (the merge),
  plus O(e log n) for e records trimmed, plus O(log n + m) for the m records
  replied (m = limit when given, else the whole snapshot).

  Input:
    KEYS[1] timeline  KEYS[2] values  KEYS[3] snapshot  KEYS[4] snapshot-values
    KEYS[5] lease     KEYS[6] ready   KEYS[7] touched
    ARGV[1] timeline key  ARGV[2] now  ARGV[3] token  ARGV[4] lease expires
    ARGV[5] lease key PEXPIRE ms (kept as `lifetime` for renewals)  ARGV[6] capacity ('')  ARGV[7] limit ('')
    ARGV[8] ttl bookkeeping ('' = off)
  Output: {'conflict'} | {'not-ready'} | {'opened', {key, timestamp, ...}, {value, ...}, size}
]]
--- @include "includes/lease-held.lua"
--- @include "includes/trim.lua"
--- @include "includes/open-snapshot.lua"
local refused = open_snapshot(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7],
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[8])
if refused then return {refused} end
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
return {'opened', ids, values, redis.call('ZCARD', KEYS[3])}
