import { LuaScript } from '../lua-script.js';
import { PRELUDE } from './prelude.js';

/**
 * `add`: upsert the record, trim the timeline if drawn, apply SPEC's schedule
 * rules (core `nextSchedule`). Replies 1 when the key was absent, else 0.
 *
 * KEYS: timeline, values, last, waiting, ready, touched.
 * ARGV: key, record key, timestamp, value, capacity ('' = no trim),
 * incrementDelay, maximumDelay, now ('' = no ttl bookkeeping).
 *
 * @example
 * ```ts
 * const first = (await ADD.run(client, keys, args)) === 1;
 * ```
 */
export const ADD = new LuaScript(
  'add',
  `${PRELUDE}
local key = ARGV[1]
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
if ARGV[5] ~= '' then trim(KEYS[1], KEYS[2], tonumber(ARGV[5])) end
if ARGV[8] ~= '' then redis.call('ZADD', KEYS[6], ARGV[8], key) end
if redis.call('ZSCORE', KEYS[5], key) then return 0 end
local waiting = redis.call('ZSCORE', KEYS[4], key)
if not waiting then
  redis.call('ZADD', KEYS[5], ARGV[3], key)
  return 1
end
local last = redis.call('GET', KEYS[3])
local score
if last then
  score = math.min(tonumber(waiting) + tonumber(ARGV[6]), tonumber(last) + tonumber(ARGV[7]))
else
  score = math.min(tonumber(waiting), tonumber(ARGV[3]))
end
redis.call('ZADD', KEYS[4], score, key)
return 0
`,
);
