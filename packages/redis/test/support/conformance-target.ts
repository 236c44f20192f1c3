import type { ConformanceTarget } from '@digests/conformance';
import { RedisBackend, type RedisClient } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { dropNamespace, namespaceKeys, uniqueNamespace } from './namespace-keys.js';
import { REDIS_URL, requireRedis } from './redis-servers.js';

/**
 * A conformance target on a shared client: each backend gets its own random
 * namespace, is closed after its case and has its keys deleted.
 */
export function redisTarget(name: string, client: () => RedisClient): ConformanceTarget {
  return {
    name,
    create: async (options) =>
      new RedisBackend({ ...options, client: client(), namespace: uniqueNamespace('conf') }),
    destroy: async (backend) => {
      const redis = backend as RedisBackend;
      await redis.close();
      await dropNamespace(redis.client, redis.namespace);
    },
    storedItems: async (backend) => {
      const redis = backend as RedisBackend;
      return (await namespaceKeys(redis.client, redis.namespace)).length;
    },
  };
}

/**
 * Registers `suite` against the standalone Redis at `REDIS_URL` on one shared
 * client (skipped with a message without Redis; a failure with `CI` set).
 *
 * @example
 * ```ts
 * await describeStandaloneRedis((target) => runBackendConformance(target));
 * ```
 */
export async function describeStandaloneRedis(
  suite: (target: ConformanceTarget) => void,
): Promise<void> {
  const available = await requireRedis();
  describe.skipIf(!available)('standalone Redis', () => {
    let client: Redis;
    beforeAll(() => {
      client = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      await client.quit();
    });
    // A fresh namespace per backend the suite creates, dropped after it.
    suite(redisTarget('redis (standalone)', () => client));
  });
}
