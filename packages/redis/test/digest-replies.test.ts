import { RedisBackend, shardKeys, shardOf, timelineKeys } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dropNamespace, uniqueNamespace } from './support/namespace-keys.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();
const T = 1_700_000_000_000;
const SHARDS = 4;

/**
 * How a digest's records reach the codec: core's JSON codec gets values as
 * text (the open pipeline and the limited open script reply text), which
 * must be exactly what the bytes would have given — and a commit that
 * delivered the whole snapshot it was handed drops it without naming it.
 */
describe.skipIf(!available)('digest replies on Redis', () => {
  let client: Redis;
  const namespaces: string[] = [];

  function backend(): RedisBackend {
    const namespace = uniqueNamespace('replies');
    namespaces.push(namespace);
    return new RedisBackend({ client, namespace, shards: SHARDS, clock: () => T + 60_000 });
  }
  function keysOf(b: RedisBackend, key: string) {
    return timelineKeys(shardKeys(b.namespace, shardOf(key, SHARDS)), key);
  }

  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    for (const namespace of namespaces.splice(0)) await dropNamespace(client, namespace);
  });
  afterAll(async () => {
    await client.quit();
  });

  for (const limit of [undefined, 10]) {
    const form = limit === undefined ? 'a whole digest' : 'a limited digest';

    it(`${form}: a value holding U+FFFD arrives intact; invalid UTF-8 is quarantined, not mangled`, async () => {
      const b = backend();
      await b.add('k', { key: 'plain', value: { text: 'ok' }, timestamp: T });
      await b.add('k', { key: 'fffd', value: { text: 'a\uFFFDb' }, timestamp: T + 1 });
      await b.add('k', { key: 'bad', value: 'placeholder', timestamp: T + 2 });
      // Bytes no codec wrote: `"` 0xff `"` is not UTF-8 (as text it would read "\uFFFD").
      await client.hset(keysOf(b, 'k').values, 'bad', Buffer.from([0x22, 0xff, 0x22]));
      const seen = await b.digest('k', (records) => records, limit === undefined ? {} : { limit });
      expect(seen).toEqual([
        { key: 'fffd', timestamp: T + 1, value: { text: 'a\uFFFDb' } },
        { key: 'plain', timestamp: T, value: { text: 'ok' } },
      ]);
      const quarantined = await b.quarantined('k');
      expect(quarantined.map((record) => record.key)).toEqual(['bad']);
    });

    it(`${form}: record keys and values with any characters come back exactly`, async () => {
      const b = backend();
      const keys = ['é', '__proto__', 'a\u0000b', '😀', 'constructor', 'x y'];
      for (const [i, key] of keys.entries()) {
        await b.add('k', { key, value: { key, n: i, s: '✓\n"' }, timestamp: T + i });
      }
      const seen = await b.digest('k', (records) => records, limit === undefined ? {} : { limit });
      expect(seen).toEqual(
        keys
          .map((key, i) => ({ key, timestamp: T + i, value: { key, n: i, s: '✓\n"' } }))
          .reverse(),
      );
    });
  }

  it('a limited digest handed the whole snapshot drops it at commit; one handed part keeps the rest', async () => {
    const b = backend();
    for (let i = 0; i < 5; i++) await b.add('k', { key: `e${i}`, value: i, timestamp: T + i });
    const first = await b.digest('k', (records) => records.map((r) => r.key), { limit: 3 });
    expect(first).toEqual(['e2', 'e1', 'e0']);
    const keys = keysOf(b, 'k');
    expect(await client.zrange(keys.snapshot, 0, -1)).toEqual(['e3', 'e4']);
    const second = await b.digest('k', (records) => records.map((r) => r.key), { limit: 3 });
    expect(second).toEqual(['e4', 'e3']);
    expect(await client.exists(keys.snapshot, keys.snapshotValues)).toBe(0);
    expect((await b.inspect('k')).size).toBe(0);
  });
});
