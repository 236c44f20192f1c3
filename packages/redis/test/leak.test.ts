import { type Backend, LeaseConflictError } from '@digests/core';
import { RedisBackend } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropNamespace, namespaceKeys, uniqueNamespace } from './support/namespace-keys.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();
const T = 1_700_000_000_000;

/** Digests every timeline until it is absent. */
async function drain(backend: Backend<unknown>, keys: readonly string[]): Promise<void> {
  for (let round = 0; round < 10; round++) {
    await backend.maintenance(Number.POSITIVE_INFINITY);
    for await (const _ of backend.schedule(Number.POSITIVE_INFINITY));
    let left = 0;
    for (const key of keys) {
      if ((await backend.inspect(key)).state !== 'ready') continue;
      left++;
      await backend
        .digest(key, () => undefined, { minimumDelay: 0 })
        .catch((error: unknown) => {
          if (!(error instanceof LeaseConflictError)) throw error;
        });
    }
    if (left === 0) return;
  }
}

describe.skipIf(!available)('leak check: a drained namespace holds no keys', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await client.quit();
  });

  it.each([
    ['defaults', {}],
    ['capacity, truncation and ttl', { capacity: 5, truncationChance: 0.5, ttl: 3_600_000 }],
  ])(
    'with %s, SCAN of the namespace finds zero keys and others are untouched',
    async (_, extra) => {
      let now = T;
      const namespace = uniqueNamespace('leak');
      const neighbour = uniqueNamespace('leak');
      const backend = new RedisBackend({
        client,
        namespace,
        shards: 8,
        clock: () => now,
        ...extra,
      });
      const bystander = new RedisBackend({ client, namespace: neighbour, clock: () => now });
      await client.set(`leak-unrelated:${namespace}`, 'keep me');
      await bystander.add('k0', { key: 'x', value: 1, timestamp: T });

      const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
      for (let i = 0; i < 600; i++) {
        const key = keys[(i * 7) % keys.length]!;
        await backend.add(key, { key: `r${i % 13}`, value: i, timestamp: T + i });
        if (i % 11 === 0) {
          await backend
            .digest(key, () => {
              if (i % 2) throw new Error('delivery failed');
            })
            .catch(() => undefined);
        }
        if (i % 97 === 0) await backend.delete(keys[i % keys.length]!);
        now += 1_000;
      }
      expect((await namespaceKeys(client, namespace)).length).toBeGreaterThan(0);
      await drain(backend, keys);
      for (const key of keys) expect((await backend.inspect(key)).state).toBe('absent');
      expect(await namespaceKeys(client, namespace)).toEqual([]);

      expect(await client.get(`leak-unrelated:${namespace}`)).toBe('keep me');
      expect(await bystander.inspect('k0')).toMatchObject({ state: 'ready', size: 1 });
      await client.del(`leak-unrelated:${namespace}`);
      await dropNamespace(client, neighbour);
    },
  );

  it('ttl expiry discards every key of an abandoned timeline, skipping held leases', async () => {
    let now = T;
    const namespace = uniqueNamespace('leak');
    const ttl = 2_000_000;
    const leaseDuration = 3 * ttl; // still held after the clock moves by ttl
    const backend = new RedisBackend({ client, namespace, clock: () => now, ttl, leaseDuration });
    for (let i = 0; i < 30; i++) await backend.add(`k${i}`, { key: 'r', value: i, timestamp: T });
    await expect(
      backend.digest('k0', () => {
        throw new Error('leaves a snapshot');
      }),
    ).rejects.toThrow('leaves a snapshot');
    let held = 0;
    await backend.digest('k1', async () => {
      now += ttl;
      expect(await backend.maintenance(0)).toBe(0);
      held = (await namespaceKeys(client, namespace)).length;
    });
    expect(held).toBeGreaterThan(0);
    expect((await backend.inspect('k1')).state).toBe('waiting');
    now += ttl;
    await backend.maintenance(0);
    expect(await namespaceKeys(client, namespace)).toEqual([]);
  });
});
