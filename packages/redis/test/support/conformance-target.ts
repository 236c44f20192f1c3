import type { ConformanceTarget } from '@digests/core/conformance';
import { RedisBackend, type RedisClient } from '@digests/redis';
import { dropNamespace, namespaceKeys, uniqueNamespace } from './namespace-keys.js';

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
