--[[
  commit: a digest whose function succeeded. Only while the token still holds
  the lease (an expired lease nobody took counts as held): removes the
  delivered records from the snapshot, drops the lease, then
    snapshot records remain (a limited digest) -> stays ready, score kept, L = now
    something delivered or the timeline holds records -> waiting at due, L = now
    else -> absent: timeline, values and L go (a quarantine stays)

  Cost: O(d log n) for the d delivered records when named; dropping a whole
  snapshot is O(1) here (UNLINK: Redis frees it in the background).

  Input:
    KEYS[1] timeline  KEYS[2] values  KEYS[3] snapshot  KEYS[4] snapshot-values
    KEYS[5] last      KEYS[6] lease   KEYS[7] waiting   KEYS[8] ready
    KEYS[9] touched
    ARGV[1] timeline key  ARGV[2] token  ARGV[3] now  ARGV[4] due (now + minimumDelay)
    ARGV[5] ttl bookkeeping ('' = off)
    ARGV[6] 'all' (the whole snapshot was delivered) or 'named', then the
      delivered record keys
  Output: 0 (the lease is gone, nothing changed), 1 (ready), 2 (waiting), 3 (absent)
]]
if redis.call('HGET', KEYS[6], 'token') ~= ARGV[2] then return 0 end
local delivered = 0
if ARGV[6] == 'all' then
  delivered = delivered + redis.call('ZCARD', KEYS[3])
  -- UNLINK: a large snapshot is freed by Redis's background thread, not
  -- inside this script (O(1) here; the data is gone at once all the same).
  redis.call('UNLINK', KEYS[3], KEYS[4])
else
  for first = 7, #ARGV, 1000 do
    local last = math.min(first + 999, #ARGV)
    delivered = delivered + redis.call('ZREM', KEYS[3], unpack(ARGV, first, last))
    redis.call('HDEL', KEYS[4], unpack(ARGV, first, last))
  end
end
redis.call('DEL', KEYS[6])
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('SET', KEYS[5], ARGV[3])
  if ARGV[5] ~= '' then redis.call('ZADD', KEYS[9], ARGV[3], ARGV[1]) end
  return 1
end
if delivered > 0 or redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('SET', KEYS[5], ARGV[3])
  redis.call('ZREM', KEYS[8], ARGV[1])
  redis.call('ZADD', KEYS[7], ARGV[4], ARGV[1])
  if ARGV[5] ~= '' then redis.call('ZADD', KEYS[9], ARGV[3], ARGV[1]) end
  return 2
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[5])
redis.call('ZREM', KEYS[7], ARGV[1])
redis.call('ZREM', KEYS[8], ARGV[1])
redis.call('ZREM', KEYS[9], ARGV[1])
return 3
