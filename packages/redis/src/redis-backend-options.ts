import { type BackendOptions, ConfigurationError } from '@digests/core';
import { NAMESPACE_PATTERN } from './keys.js';
import type { RedisClient } from './lua-script.js';

/** Where to connect when neither `client` nor `url` is given. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Default number of schedule shards (each one hash slot on a cluster). */
export const DEFAULT_SHARDS = 16;

/**
 * Options of {@link RedisBackend}: where to connect, how to name keys, and
 * the shared {@link BackendOptions}.
 *
 * @example
 * ```ts
 * const options: RedisBackendOptions = { url: 'redis://127.0.0.1:6379', namespace: 'mail', shards: 16 };
 * ```
 */
export interface RedisBackendOptions<V = unknown> extends BackendOptions<V> {
  /** An ioredis `Redis` or `Cluster` client. The backend never closes it. */
  readonly client?: RedisClient;
  /** A `redis://` URL; the backend opens the client and `close()` quits it. */
  readonly url?: string;
  /** Prefix of every key: 1–64 of `A–Z a–z 0–9 _ . -`. Default `d`. */
  readonly namespace?: string;
  /**
   * How many schedule shards timelines are spread over (1–1024). Fixed for the
   * life of the data: changing it strands existing timelines. Default 16.
   */
  readonly shards?: number;
}

/** The connection part of {@link RedisBackendOptions}, validated. */
export interface RedisConnectionOptions {
  readonly client: RedisClient | undefined;
  readonly url: string;
  readonly namespace: string;
  readonly shards: number;
}

/**
 * Validates the Redis-specific options; throws {@link ConfigurationError}.
 *
 * @example
 * ```ts
 * resolveConnection({ namespace: 'a:b' }); // throws: namespace must match …
 * ```
 */
export function resolveConnection(options: RedisBackendOptions<unknown>): RedisConnectionOptions {
  const { client, url, namespace = 'd', shards = DEFAULT_SHARDS } = options;
  if (client !== undefined && url !== undefined) {
    throw new ConfigurationError('give either client or url, not both');
  }
  if (
    client !== undefined &&
    typeof (client as { callBuffer?: unknown }).callBuffer !== 'function'
  ) {
    throw new ConfigurationError('client must be an ioredis Redis or Cluster instance');
  }
  if (url !== undefined && (typeof url !== 'string' || url.length === 0)) {
    throw new ConfigurationError(`url must be a non-empty string, got ${String(url)}`);
  }
  if (typeof namespace !== 'string' || !NAMESPACE_PATTERN.test(namespace)) {
    throw new ConfigurationError(
      `namespace must be 1–64 characters of A–Z a–z 0–9 _ . -, got ${JSON.stringify(namespace)}`,
    );
  }
  if (!Number.isSafeInteger(shards) || shards < 1 || shards > 1024) {
    throw new ConfigurationError(`shards must be an integer from 1 to 1024, got ${String(shards)}`);
  }
  return { client, url: url ?? DEFAULT_REDIS_URL, namespace, shards };
}
