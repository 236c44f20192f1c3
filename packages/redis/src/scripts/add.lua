--[[
  add: one record, with its schedule effect (includes/add-record.lua).

  Input:
    KEYS[1] timeline   KEYS[2] values     KEYS[3] last      KEYS[4] snapshot
    KEYS[5] waiting    KEYS[6] ready      KEYS[7] touched
    ARGV[1] timeline key   ARGV[2] record key   ARGV[3] timestamp
    ARGV[4] encoded value  ARGV[5] trim to ('' = no trim)
    ARGV[6] incrementDelay ARGV[7] maximumDelay ARGV[8] dueAt ('' = none)
    ARGV[9] flushThreshold ('' = none)          ARGV[10] now
    ARGV[11] ttl bookkeeping ('' = off)
  Output: 1 when the caller may deliver at once, else 0.
]]
--- @include "includes/trim.lua"
--- @include "includes/add-record.lua"
return add_record(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7],
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9],
  ARGV[10], ARGV[11])
