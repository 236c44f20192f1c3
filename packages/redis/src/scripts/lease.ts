import { LuaScript } from '../lua-script.js';

/**
 * Extends the lease if the token is ours. Replies 1 (renewed) or 0 (not ours).
 *
 * KEYS: lease. ARGV: token, new expiry, PEXPIRE ms.
 *
 * @example
 * ```ts
 * const ours = (await RENEW_LEASE.run(client, [keys.lease], [token, expiry, gc])) === 1;
 * ```
 */
export const RENEW_LEASE = new LuaScript(
  'renew-lease',
  `
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'expires', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`,
);

/**
 * Deletes the lease if the token is ours (compare-and-delete). Replies 1 or 0.
 *
 * KEYS: lease. ARGV: token.
 *
 * @example
 * ```ts
 * await RELEASE_LEASE.run(client, [keys.lease], [token]);
 * ```
 */
export const RELEASE_LEASE = new LuaScript(
  'release-lease',
  `
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
);
