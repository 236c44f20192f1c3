--[[
  inspect, read in one atomic step.

  Input:
    KEYS[1] timeline  KEYS[2] snapshot  KEYS[3] last  KEYS[4] waiting
    KEYS[5] ready     KEYS[6] quarantine
    ARGV[1] timeline key
  Output: {ready score|nil, waiting score|nil, size, last|nil, quarantined}
]]
return {
  redis.call('ZSCORE', KEYS[5], ARGV[1]),
  redis.call('ZSCORE', KEYS[4], ARGV[1]),
  redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]),
  redis.call('GET', KEYS[3]),
  redis.call('ZCARD', KEYS[6])
}
