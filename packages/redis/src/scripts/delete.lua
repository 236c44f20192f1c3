--[[
  delete: every key of the timeline — records, snapshot, quarantine, L and
  the lease (an open digest's commit then finds its lease gone) — and its
  schedule entries.

  Input:
    KEYS[1] waiting  KEYS[2] ready  KEYS[3] touched
    ARGV[1] shard prefix  ARGV[2] timeline key
  Output: 1
]]
--- @include "includes/forget.lua"
forget(ARGV[1], ARGV[2])
return 1
