--[[
  open_snapshot(timeline, values, snapshot, snapshot_values, lease, ready,
    touched, key, now, token, expires, lifetime, capacity, touch)

  The part of a digest's open that every form shares: checks the lease (held
  by another digest at now: 'conflict') and the state (not ready:
  'not-ready'); merges the timeline into the snapshot a failed digest left
  (a record key in both keeps the newer timestamp, the timeline's on a tie)
  or, with no snapshot, RENAMEs it (O(1)); trims the snapshot to `capacity`
  newest ('' = no trim); takes the lease; touches ('' = no ttl bookkeeping).
  Returns 'conflict', 'not-ready', or nil when the lease was taken.
  Needs includes/lease-held.lua and includes/trim.lua before it.
]]
local function open_snapshot(timeline, values, snapshot, snapshot_values, lease, ready,
    touched, key, now, token, expires, lifetime, capacity, touch)
  if lease_held(lease, tonumber(now)) then return 'conflict' end
  if not redis.call('ZSCORE', ready, key) then return 'not-ready' end
  if redis.call('EXISTS', timeline) == 1 then
    if redis.call('EXISTS', snapshot) == 0 then
      redis.call('RENAME', timeline, snapshot)
      redis.call('RENAME', values, snapshot_values)
    else
      local records = redis.call('ZRANGE', timeline, 0, -1, 'WITHSCORES')
      for i = 1, #records, 2 do
        local member = records[i]
        local held = redis.call('ZSCORE', snapshot, member)
        if (not held) or tonumber(records[i + 1]) >= tonumber(held) then
          redis.call('ZADD', snapshot, records[i + 1], member)
          redis.call('HSET', snapshot_values, member, redis.call('HGET', values, member))
        end
      end
      redis.call('DEL', timeline, values)
    end
  end
  if capacity ~= '' then trim(snapshot, snapshot_values, tonumber(capacity)) end
  redis.call('HSET', lease, 'token', token, 'expires', expires, 'lifetime', lifetime)
  redis.call('PEXPIRE', lease, lifetime)
  if touch ~= '' then redis.call('ZADD', touched, now, key) end
  return nil
end
