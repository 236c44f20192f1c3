import { LuaScript } from '../lua-script.js';
import { PRELUDE } from './prelude.js';

/**
 * Digest open: check the lease, then the state; merge the timeline into the
 * snapshot (a record key in both keeps the newer timestamp, the timeline's on
 * a tie), trim it to capacity, empty the timeline, take the lease.
 * Replies `{'conflict'}`, `{'state'}` or `{'ok', key, timestamp, value, …}`
 * newest first (ZREVRANGE: equal timestamps by record key descending).
 *
 * KEYS: timeline, values, snapshot, snapshot-values, lease, ready, touched.
 * ARGV: key, now, token, lease expiry, lease PEXPIRE ms, capacity (''),
 * now for ttl bookkeeping ('').
 *
 * @example
 * ```ts
 * const reply = await OPEN_DIGEST.run(client, keys, args);
 * ```
 */
export const OPEN_DIGEST = new LuaScript(
  'open-digest',
  `${PRELUDE}
if lease_held(KEYS[5], tonumber(ARGV[2])) then return {'conflict'} end
if not redis.call('ZSCORE', KEYS[6], ARGV[1]) then return {'state'} end
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('EXISTS', KEYS[3]) == 0 then
    redis.call('RENAME', KEYS[1], KEYS[3])
    redis.call('RENAME', KEYS[2], KEYS[4])
  else
    local records = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
    for i = 1, #records, 2 do
      local member = records[i]
      local held = redis.call('ZSCORE', KEYS[3], member)
      if (not held) or tonumber(records[i + 1]) >= tonumber(held) then
        redis.call('ZADD', KEYS[3], records[i + 1], member)
        redis.call('HSET', KEYS[4], member, redis.call('HGET', KEYS[2], member))
      end
    end
    redis.call('DEL', KEYS[1], KEYS[2])
  end
end
if ARGV[6] ~= '' then trim(KEYS[3], KEYS[4], tonumber(ARGV[6])) end
redis.call('HSET', KEYS[5], 'token', ARGV[3], 'expires', ARGV[4])
redis.call('PEXPIRE', KEYS[5], ARGV[5])
if ARGV[7] ~= '' then redis.call('ZADD', KEYS[7], ARGV[7], ARGV[1]) end
local ids = redis.call('ZREVRANGE', KEYS[3], 0, -1, 'WITHSCORES')
local reply = {'ok'}
local n = 1
for i = 1, #ids, 2 do
  reply[n + 1] = ids[i]
  reply[n + 2] = ids[i + 1]
  reply[n + 3] = redis.call('HGET', KEYS[4], ids[i])
  n = n + 3
end
return reply
`,
);
