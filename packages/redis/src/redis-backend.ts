import { JsonCodec, resolveOptions, StoreBackend } from '@digests/core';
import type { RedisClient } from './lua-script.js';
import { type RedisBackendOptions, resolveConnection } from './redis-backend-options.js';
import { RedisStore } from './redis-store.js';

/**
 * A digests backend on Redis (standalone or Cluster) through ioredis: core's
 * one front (`StoreBackend`: validation, encoding, leases and their renewal,
 * operation timeouts, typed errors) over a {@link RedisStore}, whose every
 * step is one Lua script on one shard. The key layout is in `keys.ts` and
 * the package README.
 *
 * Given a `url`, the backend opens its own client (with `commandTimeout` =
 * `operationTimeout`) and `close()` quits it; a given `client` is used as
 * it is and never closed.
 *
 * @example
 * ```ts
 * import { RedisBackend } from '@digests/redis';
 *
 * const backend = new RedisBackend<{ text: string }>({ url: 'redis://127.0.0.1:6379', namespace: 'mail' });
 * await backend.add('mail:p:1', { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() });
 * for await (const { key } of backend.schedule(Date.now())) {
 *   await backend.digest(key, (records) => send(records));
 * }
 * await backend.close();
 * ```
 */
export class RedisBackend<V = unknown> extends StoreBackend<V> {
  constructor(options: RedisBackendOptions<V> = {}) {
    // Every option is checked before a connection is opened.
    const { operationTimeout, codec } = resolveOptions(options);
    const connection = resolveConnection(options as RedisBackendOptions<unknown>);
    // Core's JSON codec reads text and its UTF-8 bytes alike: digests may hand it text.
    const textValues = codec instanceof JsonCodec;
    super(new RedisStore({ ...connection, operationTimeout, textValues }), options);
  }

  /** The namespace every key of this backend starts with (`{namespace:shard}`). */
  get namespace(): string {
    return (this.store as RedisStore).namespace;
  }

  /** The ioredis client this backend talks through. */
  get client(): RedisClient {
    return (this.store as RedisStore).client;
  }
}
