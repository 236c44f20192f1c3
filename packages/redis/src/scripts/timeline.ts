import { LuaScript } from '../lua-script.js';

/**
 * `flush`: a waiting key becomes ready with score now. Replies 1 or 0.
 *
 * KEYS: waiting, ready. ARGV: key, now.
 *
 * @example
 * ```ts
 * await FLUSH.run(client, [shard.waiting, shard.ready], [key, String(now)]);
 * ```
 */
export const FLUSH = new LuaScript(
  'flush',
  `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
`,
);

/**
 * `delete`: every key of the timeline (lease included) and its schedule entries.
 *
 * KEYS: timeline, values, snapshot, snapshot-values, last, lease, waiting, ready, touched.
 * ARGV: key.
 *
 * @example
 * ```ts
 * await DELETE.run(client, keys, [key]);
 * ```
 */
export const DELETE = new LuaScript(
  'delete',
  `
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
redis.call('ZREM', KEYS[7], ARGV[1])
redis.call('ZREM', KEYS[8], ARGV[1])
redis.call('ZREM', KEYS[9], ARGV[1])
return 1
`,
);

/**
 * `inspect`, read in one atomic step. Replies
 * `{ready score|nil, waiting score|nil, size, last|nil}`.
 *
 * KEYS: timeline, snapshot, last, waiting, ready. ARGV: key.
 *
 * @example
 * ```ts
 * const [ready, waiting, size, last] = await INSPECT.run(client, keys, [key]);
 * ```
 */
export const INSPECT = new LuaScript(
  'inspect',
  `
return {
  redis.call('ZSCORE', KEYS[5], ARGV[1]),
  redis.call('ZSCORE', KEYS[4], ARGV[1]),
  redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]),
  redis.call('GET', KEYS[3])
}
`,
);
