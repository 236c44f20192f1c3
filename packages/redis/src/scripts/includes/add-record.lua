--[[
  add_record(timeline, values, last_key, snapshot, waiting_key, ready_key,
    touched_key, key, record_key, timestamp, value, trim_to, increment,
    maximum, due_at, threshold, now, touch)

  Stores one record (replacing one with the same record key), trims to
  `trim_to` newest ('' = no trim), records the touch (`touch` '' = no ttl
  bookkeeping), then applies the schedule rule of core's `scheduleAfterAdd`:
    ready                 -> unchanged, 0
    due_at given          -> absent: waiting at due_at, or ready at due_at (1)
                             when due_at <= now; waiting S: min(S, due_at)
    absent                -> ready at timestamp, 1
    waiting S, L unknown  -> min(S, timestamp)
    waiting S, L known    -> min(S + increment, L + maximum)
    then, waiting with timeline + snapshot >= threshold -> ready at now, 1
  Returns 1 when the caller may deliver at once, else 0.
  Needs includes/trim.lua before it.
]]
local function add_record(timeline, values, last_key, snapshot, waiting_key, ready_key,
    touched_key, key, record_key, timestamp, value, trim_to, increment, maximum, due_at,
    threshold, now, touch)
  redis.call('ZADD', timeline, timestamp, record_key)
  redis.call('HSET', values, record_key, value)
  if trim_to ~= '' then trim(timeline, values, tonumber(trim_to)) end
  if touch ~= '' then redis.call('ZADD', touched_key, now, key) end
  if redis.call('ZSCORE', ready_key, key) then return 0 end
  local waiting = redis.call('ZSCORE', waiting_key, key)
  local score
  if due_at ~= '' then
    local due = tonumber(due_at)
    if waiting then
      score = math.min(tonumber(waiting), due)
    elseif due <= tonumber(now) then
      redis.call('ZADD', ready_key, due_at, key)
      return 1
    else
      score = due
    end
  else
    if not waiting then
      redis.call('ZADD', ready_key, timestamp, key)
      return 1
    end
    local last = redis.call('GET', last_key)
    if last then
      score = math.min(tonumber(waiting) + tonumber(increment), tonumber(last) + tonumber(maximum))
    else
      score = math.min(tonumber(waiting), tonumber(timestamp))
    end
  end
  if threshold ~= '' and redis.call('ZCARD', timeline) + redis.call('ZCARD', snapshot)
      >= tonumber(threshold) then
    if waiting then redis.call('ZREM', waiting_key, key) end
    redis.call('ZADD', ready_key, now, key)
    return 1
  end
  redis.call('ZADD', waiting_key, score, key)
  return 0
end
