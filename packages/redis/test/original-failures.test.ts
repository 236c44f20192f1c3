import { newestFirst } from '@digests/core';
import { RedisBackend, shardKeys, shardOf, timelineKeys } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dropNamespace, namespaceKeys, uniqueNamespace } from './support/namespace-keys.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();
const T = 1_700_000_000_000;

/** The failures of Sentry's Redis digests backend, each pinned so ours never repeats them. */
describe.skipIf(!available)('known failures of the original Redis backend', () => {
  let client: Redis;
  let now = T;
  const namespaces: string[] = [];

  function backend(options: ConstructorParameters<typeof RedisBackend>[0] = {}): RedisBackend {
    const namespace = uniqueNamespace('orig');
    namespaces.push(namespace);
    return new RedisBackend({ client, namespace, clock: () => now, ...options });
  }
  function keysOf(b: RedisBackend, key: string) {
    return timelineKeys(shardKeys(b.namespace, shardOf(key, 16)), key);
  }

  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    now = T;
    for (const namespace of namespaces.splice(0)) await dropNamespace(client, namespace);
  });
  afterAll(async () => {
    await client.quit();
  });

  it('a record re-added with the same key during an open digest survives the close', async () => {
    const b = backend({ minimumDelay: 0 });
    await b.add('k', { key: 'same', value: 'old', timestamp: T });
    const delivered = await b.digest('k', async (records) => {
      await b.add('k', { key: 'same', value: 'new', timestamp: T + 1 });
      return records.map((r) => r.value);
    });
    expect(delivered).toEqual(['old']);
    expect(await client.zrange(keysOf(b, 'k').timeline, 0, -1)).toEqual(['same']);
    expect(await b.inspect('k')).toMatchObject({ state: 'waiting', size: 1 });
    await b.flush('k');
    expect(await b.digest('k', (records) => records)).toEqual([
      { key: 'same', value: 'new', timestamp: T + 1 },
    ]);
  });

  it('a snapshot never holds ids without payloads, and close removes both', async () => {
    const b = backend({ minimumDelay: 0 });
    const k = keysOf(b, 'k');
    await b.add('k', { key: 'a', value: 1, timestamp: T });
    await b.add('k', { key: 'b', value: 2, timestamp: T + 1 });
    await expect(
      b.digest('k', () => {
        throw new Error('delivery failed');
      }),
    ).rejects.toThrow('delivery failed');
    // The failed digest's snapshot: every id has its payload, and neither expires.
    expect((await client.zrange(k.snapshot, 0, -1)).sort()).toEqual(['a', 'b']);
    expect(Object.keys(await client.hgetall(k.snapshotValues)).sort()).toEqual(['a', 'b']);
    expect(await client.ttl(k.snapshot)).toBe(-1);
    expect(await client.ttl(k.snapshotValues)).toBe(-1);
    now += 10 * 86_400_000;
    await b.add('k', { key: 'a', value: 'newer', timestamp: T + 2 });
    const records = await b.digest('k', (r) => r);
    expect(records).toEqual([
      { key: 'a', value: 'newer', timestamp: T + 2 },
      { key: 'b', value: 2, timestamp: T + 1 },
    ]);
    expect(await client.exists(k.snapshot, k.snapshotValues, k.timeline, k.values)).toBe(0);
  });

  it('a 100 000-record timeline digests every record, newest first', async () => {
    const b = backend();
    const count = 100_000;
    for (let start = 0; start < count; start += 2_000) {
      const batch: Promise<boolean>[] = [];
      for (let i = start; i < start + 2_000; i++) {
        batch.push(b.add('big', { key: `record:${i}`, value: i, timestamp: T + (i % 5_000) }));
      }
      await Promise.all(batch);
    }
    expect((await b.inspect('big')).size).toBe(count);
    const records = await b.digest('big', (r) => r);
    expect(records).toHaveLength(count);
    expect(new Set(records.map((r) => r.key)).size).toBe(count);
    expect(records).toEqual([...records].sort(newestFirst));
    expect((await b.inspect('big')).size).toBe(0);
    await b.flush('big');
    await b.digest('big', () => undefined);
    expect(await namespaceKeys(client, b.namespace)).toEqual([]);
  }, 120_000);
});
