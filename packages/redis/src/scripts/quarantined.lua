--[[
  quarantined: the key's quarantined values, raw, oldest first (timestamp,
  then record key by bytes).

  Input:
    KEYS[1] quarantine  KEYS[2] quarantine-values
  Output: {record key, timestamp, value, ...}
]]
local ids = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local reply = {}
for i = 1, #ids, 2 do
  reply[#reply + 1] = ids[i]
  reply[#reply + 1] = ids[i + 1]
  reply[#reply + 1] = redis.call('HGET', KEYS[2], ids[i])
end
return reply
