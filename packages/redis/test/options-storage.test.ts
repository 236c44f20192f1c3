import { runOptionsStorageConformance, UNUSUAL_OPTION_NAMES } from '@digests/conformance';
import {
  BackendUnavailableError,
  ConfigurationError,
  OptionsRegistry,
  OptionsStore,
} from '@digests/core';
import { isTransient, optionsKey, RedisOptionsStorage } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from './support/namespace-keys.js';
import {
  REDIS_URL,
  requireRedis,
  requireRedisBinaries,
  startRedisServer,
} from './support/redis-servers.js';

const available = await requireRedis();
const binaries = await requireRedisBinaries();

describe.skipIf(!available)('RedisOptionsStorage on REDIS_URL', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await client.quit();
  });

  runOptionsStorageConformance({
    name: 'redis',
    create: async () => new RedisOptionsStorage({ client, namespace: uniqueNamespace('opts') }),
    destroy: async (storage) => {
      const redis = storage as RedisOptionsStorage;
      await redis.close();
      await client.del(redis.key);
    },
    readRaw: async (storage, name) =>
      (await client.hgetBuffer((storage as RedisOptionsStorage).key, name))?.toString('utf8') ??
      undefined,
  });

  it('keeps every option in one hash {<namespace>:options}, field = name as UTF-8 bytes', async () => {
    const namespace = uniqueNamespace('opts');
    const storage = new RedisOptionsStorage({ client, namespace });
    try {
      expect(storage.key).toBe(`{${namespace}:options}`);
      expect(optionsKey(namespace)).toBe(storage.key);
      for (const [i, name] of UNUSUAL_OPTION_NAMES.entries()) await storage.set(name, String(i));
      expect(await client.type(storage.key)).toBe('hash');
      expect(await client.keys(`{${namespace}:*`)).toEqual([storage.key]);
      const fields = await client.hgetallBuffer(storage.key);
      expect(new Map(Object.entries(fields).map(([k, v]) => [k, v.toString()]))).toEqual(
        new Map(UNUSUAL_OPTION_NAMES.map((name, i) => [name, String(i)])),
      );
      // NUL survives as a byte of the field name.
      expect(await client.hget(storage.key, 'digests.enabled:\u0000')).toBe(
        String(UNUSUAL_OPTION_NAMES.indexOf('digests.enabled:\u0000')),
      );
      for (const name of UNUSUAL_OPTION_NAMES) await storage.delete(name);
      expect(await client.exists(storage.key)).toBe(0);
    } finally {
      await client.del(storage.key);
    }
  });

  it('validates options like RedisBackend and rejects names UTF-8 cannot hold', async () => {
    expect(() => new RedisOptionsStorage({ client, namespace: 'a:b' })).toThrow(ConfigurationError);
    expect(() => new RedisOptionsStorage({ client, url: REDIS_URL })).toThrow(ConfigurationError);
    const storage = new RedisOptionsStorage({ client, namespace: uniqueNamespace('opts') });
    await expect(storage.set('x:\uD800', '1')).rejects.toThrow(/lone surrogate/);
    await expect(storage.set('x', '"\uDC00"')).rejects.toThrow(/lone surrogate/);
    expect(await client.exists(storage.key)).toBe(0);
  });
});

describe.skipIf(!binaries)('RedisOptionsStorage against a private redis-server', () => {
  it('a stopped server rejects BackendUnavailableError; an OptionsStore serves the stale value within grace', async () => {
    const server = await startRedisServer();
    let now = 1_000;
    const storage = new RedisOptionsStorage({ url: server.url, namespace: 'stale' });
    const registry = new OptionsRegistry();
    const delay = registry.register('digests.minimumDelay', { type: 'number', default: 300_000 });
    const store = new OptionsStore({
      storage,
      registry,
      ttl: 10_000,
      grace: 60_000,
      clock: () => now,
    });
    try {
      await store.set(delay, 5_000, 'mail:p:1');
      now += 1;
      // A fresh store would read it back from Redis; this one has it cached.
      expect(await store.get(delay, 'mail:p:1')).toBe(5_000);
      await server.stop();

      const error = await storage.get('digests.minimumDelay:mail:p:1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(isTransient((error as Error).cause)).toBe(true);
      await expect(storage.set('x', '1')).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(storage.delete('x')).rejects.toBeInstanceOf(BackendUnavailableError);

      now += 10_000 + 30_000; // past the TTL, within the grace
      expect(await store.get(delay, 'mail:p:1')).toBe(5_000);
      now += 60_000; // past the grace: the default applies
      expect(await store.get(delay, 'mail:p:1')).toBe(300_000);
    } finally {
      await storage.close();
      await server.stop();
    }
  });

  it('close() quits a client it opened from a URL, and never one it was given', async () => {
    const server = await startRedisServer();
    try {
      const given = new Redis(server.url);
      const borrowed = new RedisOptionsStorage({ client: given, namespace: 'close' });
      await borrowed.set('a', '1');
      await borrowed.close();
      expect(await given.hget('{close:options}', 'a')).toBe('1');
      await given.quit();

      const owned = new RedisOptionsStorage({ url: server.url, namespace: 'close' });
      expect(await owned.get('a')).toBe('1');
      await owned.close();
      expect((owned.client as Redis).status).toBe('end');
      await expect(owned.get('a')).rejects.toBeInstanceOf(BackendUnavailableError);
    } finally {
      await server.stop();
    }
  });
});
