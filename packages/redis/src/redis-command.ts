import { timed } from '@digests/core';
import { REDIS_CATEGORY, type RedisClient } from './lua-script.js';
import { toBackendError } from './transient.js';

/**
 * Sends one plain command through `client` as one `redis` action of the
 * current timeline (named by `detail`), with the adapter's error mapping:
 * transient failures reject as `BackendUnavailableError` with the cause.
 * Replies come back as Buffers, numbers and arrays.
 *
 * @example
 * ```ts
 * const raw = await redisCommand(client, 'HGET options digests.enabled', 'HGET', '{d:options}', 'digests.enabled');
 * ```
 */
export function redisCommand(
  client: RedisClient,
  detail: string,
  command: string,
  ...args: readonly (string | Buffer)[]
): Promise<unknown> {
  return timed(REDIS_CATEGORY, detail, async () => {
    try {
      return await client.callBuffer(command, ...args);
    } catch (error) {
      throw toBackendError(error);
    }
  });
}
