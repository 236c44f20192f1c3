import { LuaScript } from '../lua-script.js';

/**
 * Moves up to `limit` waiting keys with score ≤ deadline to ready, keeping
 * their scores. Replies them as `{key, score, …}`, earliest first.
 *
 * KEYS: waiting, ready. ARGV: deadline, limit.
 *
 * @example
 * ```ts
 * const moved = await SCHEDULE.run(client, [shard.waiting, shard.ready], ['+inf', '1000']);
 * ```
 */
export const SCHEDULE = new LuaScript(
  'schedule',
  `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #due, 2 do
  redis.call('ZREM', KEYS[1], due[i])
  redis.call('ZADD', KEYS[2], due[i + 1], due[i])
end
return due
`,
);
