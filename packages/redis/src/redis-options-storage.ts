import { CodecError, InvalidKeyError, type OptionsStorage } from '@digests/core';
import { closeClient, openClient } from './connection.js';
import type { RedisClient } from './lua-script.js';
import { resolveConnection } from './redis-backend-options.js';
import { redisCommand } from './redis-command.js';

/**
 * Options of {@link RedisOptionsStorage}: where to connect and the namespace,
 * with the same rules as `RedisBackend`'s.
 *
 * @example
 * ```ts
 * const options: RedisOptionsStorageOptions = { url: 'redis://127.0.0.1:6379', namespace: 'mail' };
 * ```
 */
export interface RedisOptionsStorageOptions {
  /** An ioredis `Redis` or `Cluster` client. The storage never closes it. */
  readonly client?: RedisClient;
  /** A `redis://` URL; the storage opens the client and `close()` quits it. */
  readonly url?: string;
  /** 1–64 of `A–Z a–z 0–9 _ . -`; the hash is `{<namespace>:options}`. Default `d`. */
  readonly namespace?: string;
}

/**
 * The hash holding every option of `namespace`. Its hash tag never equals a
 * schedule shard's (`{d:3}`: a number), so it lives apart from the timelines
 * yet matches the namespace's `SCAN` pattern (`{d:*`).
 *
 * @example
 * ```ts
 * optionsKey('mail'); // '{mail:options}'
 * ```
 */
export function optionsKey(namespace: string): string {
  return `{${namespace}:options}`;
}

/**
 * Core's {@link OptionsStorage} on Redis: one hash `{<namespace>:options}`,
 * field = storage name (`digests.minimumDelay:mail:p:1`, any characters, NUL
 * included, as UTF-8 bytes), value = the JSON text. One command per call
 * (`HGET`, `HSET`, `HDEL`), each a `redis` action of the current timeline;
 * transient failures reject `BackendUnavailableError` (with the cause), so an
 * `OptionsStore` in front of it serves stale values within its grace. Put the
 * store in front: this class caches nothing.
 *
 * @example
 * ```ts
 * import { DigestWorker, digestKeyOptions, OptionsStore, registerDigestOptions } from '@digests/core';
 * import { RedisOptionsStorage } from '@digests/redis';
 *
 * const store = new OptionsStore({ storage: new RedisOptionsStorage({ url: process.env.REDIS_URL, namespace: 'mail' }) });
 * await store.set(registerDigestOptions(store.registry).enabled, false, 'mail:p:1');
 * const worker = new DigestWorker({ backend, deliver, options: digestKeyOptions(store) });
 * ```
 */
export class RedisOptionsStorage implements OptionsStorage {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #namespace: string;
  readonly #key: string;

  constructor(options: RedisOptionsStorageOptions = {}) {
    const connection = resolveConnection({
      ...(options.client === undefined ? {} : { client: options.client }),
      ...(options.url === undefined ? {} : { url: options.url }),
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    });
    this.#namespace = connection.namespace;
    this.#key = optionsKey(connection.namespace);
    this.#owned = connection.client === undefined;
    this.#client = connection.client ?? openClient(connection.url);
  }

  /** The namespace of the hash (`{namespace:options}`). */
  get namespace(): string {
    return this.#namespace;
  }

  /** The hash every option is stored in. */
  get key(): string {
    return this.#key;
  }

  /** The ioredis client this storage talks through. */
  get client(): RedisClient {
    return this.#client;
  }

  async get(name: string): Promise<string | undefined> {
    checkName(name);
    const raw = await redisCommand(this.#client, `HGET options ${name}`, 'HGET', this.#key, name);
    return raw === null ? undefined : (raw as Buffer).toString('utf8');
  }

  async set(name: string, value: string): Promise<void> {
    checkName(name);
    if (typeof value !== 'string' || !value.isWellFormed()) {
      throw new CodecError(`the value of option ${name} must be a string without lone surrogates`);
    }
    await redisCommand(this.#client, `HSET options ${name}`, 'HSET', this.#key, name, value);
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    await redisCommand(this.#client, `HDEL options ${name}`, 'HDEL', this.#key, name);
  }

  /** Quits the client when this storage opened it from `url`; a given client stays open. */
  async close(): Promise<void> {
    if (this.#owned) await closeClient(this.#client);
  }
}

/** UTF-8 cannot hold a lone surrogate: two names would share one field. */
function checkName(name: string): void {
  if (typeof name !== 'string' || !name.isWellFormed()) {
    throw new InvalidKeyError('an option name must be a string without lone surrogates');
  }
}
