import { LuaScript } from '../lua-script.js';
import { PRELUDE } from './prelude.js';

/**
 * The Lua function `add_record(timeline, values, last, waiting, ready,
 * touched, key, record_key, timestamp, value, capacity, increment, maximum,
 * now)`: upsert the record, trim the timeline if drawn (`capacity` '' = no
 * trim), touch it (`now` '' = no ttl bookkeeping), apply SPEC's schedule
 * rules (core `nextSchedule`). Returns 1 when the key was absent, else 0.
 * `ADD` calls it once and `ADD_MANY` once per entry, so the two cannot drift.
 * Needs `PRELUDE` (`trim`) before it.
 *
 * @example
 * ```ts
 * const source = `${PRELUDE}${ADD_RECORD}\nreturn add_record(KEYS[1], …)`;
 * ```
 */
export const ADD_RECORD = `
local function add_record(timeline, values, last_key, waiting_key, ready_key, touched_key,
    key, record_key, timestamp, value, capacity, increment, maximum, now)
  redis.call('ZADD', timeline, timestamp, record_key)
  redis.call('HSET', values, record_key, value)
  if capacity ~= '' then trim(timeline, values, tonumber(capacity)) end
  if now ~= '' then redis.call('ZADD', touched_key, now, key) end
  if redis.call('ZSCORE', ready_key, key) then return 0 end
  local waiting = redis.call('ZSCORE', waiting_key, key)
  if not waiting then
    redis.call('ZADD', ready_key, timestamp, key)
    return 1
  end
  local last = redis.call('GET', last_key)
  local score
  if last then
    score = math.min(tonumber(waiting) + tonumber(increment), tonumber(last) + tonumber(maximum))
  else
    score = math.min(tonumber(waiting), tonumber(timestamp))
  end
  redis.call('ZADD', waiting_key, score, key)
  return 0
end
`;

/**
 * `add`: one `add_record` (see {@link ADD_RECORD}). Replies 1 when the key
 * was absent, else 0.
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
  `${PRELUDE}${ADD_RECORD}
return add_record(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6],
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
`,
);
