--[[
  lease_held(lease_key, now): whether a digest holds the lease at `now`
  (its `expires` field, written from the backend's clock, is later than now).
  The lease key's PEXPIRE is only garbage collection.
]]
local function lease_held(lease_key, now)
  local expires = redis.call('HGET', lease_key, 'expires')
  return expires and tonumber(expires) > now
end
