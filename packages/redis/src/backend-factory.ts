import { type BackendFactory, ConfigurationError } from '@digests/core';
import { RedisBackend } from './redis-backend.js';

/**
 * Builds a {@link RedisBackend} from a config section:
 * `{ "backend": "redis", "url": "redis://…", "namespace": "mail", "shards": 16 }`.
 * The backend owns the connection it opens from `url`.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'redis', url: process.env.REDIS_URL }, {}, 'primary');
 * ```
 */
export const backendFactory: BackendFactory = {
  name: 'redis',
  create: (config, options, path) => {
    const { url, namespace, shards } = config;
    if (url !== undefined && typeof url !== 'string') {
      throw new ConfigurationError(`${path}.url must be a string`);
    }
    if (namespace !== undefined && typeof namespace !== 'string') {
      throw new ConfigurationError(`${path}.namespace must be a string`);
    }
    if (shards !== undefined && !Number.isSafeInteger(shards)) {
      throw new ConfigurationError(`${path}.shards must be an integer`);
    }
    try {
      return new RedisBackend({
        ...options,
        ...(url === undefined ? {} : { url }),
        ...(namespace === undefined ? {} : { namespace }),
        ...(shards === undefined ? {} : { shards: shards as number }),
      });
    } catch (error) {
      if (error instanceof ConfigurationError) {
        throw new ConfigurationError(`${path}.${error.message}`, { cause: error });
      }
      throw error;
    }
  },
};
