--[[
  open-whole: the open of a digest without `limit` (includes/open-snapshot.lua),
  replying no records: the store sends it in one pipeline with a plain
  `ZRANGE snapshot 0 -1 WITHSCORES` and `HGETALL snapshot-values`, which
  Redis runs right after it on the same connection — one round trip, and
  the records reach the client without passing through Lua (copying 1 000
  records into Lua and back cost ~3× the plain commands).

  Nothing can change the snapshot between the script and the reads: it
  holds the lease (open: 'conflict', quarantine and commit need the token,
  remove and expire leave a leased snapshot alone), so the reads see the
  records it opened. When it refuses, the reads' replies are ignored.

  Input: as open.lua; ARGV[7], the limit, is always ''.
    KEYS[1] timeline  KEYS[2] values  KEYS[3] snapshot  KEYS[4] snapshot-values
    KEYS[5] lease     KEYS[6] ready   KEYS[7] touched
    ARGV[1] timeline key  ARGV[2] now  ARGV[3] token  ARGV[4] lease expires
    ARGV[5] lease key PEXPIRE ms  ARGV[6] capacity ('')  ARGV[8] ttl bookkeeping ('' = off)
  Output: {'conflict'} | {'not-ready'} | {'opened'}
]]
--- @include "includes/lease-held.lua"
--- @include "includes/trim.lua"
--- @include "includes/open-snapshot.lua"
local refused = open_snapshot(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7],
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[8])
if refused then return {refused} end
return {'opened'}
