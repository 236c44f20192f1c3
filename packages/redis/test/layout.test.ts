import { CompressedJsonCodec } from '@digests/core';
import { RedisBackend, shardKeys, shardOf, timelineKeys } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dropNamespace, namespaceKeys, uniqueNamespace } from './support/namespace-keys.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();
const T = 1_700_000_000_000;

describe.skipIf(!available)('the key layout, read from Redis directly', () => {
  let client: Redis;
  let now = T;
  const namespaces: string[] = [];
  const SHARDS = 4;

  function backend(options: ConstructorParameters<typeof RedisBackend>[0] = {}): RedisBackend {
    const namespace = uniqueNamespace('layout');
    namespaces.push(namespace);
    return new RedisBackend({ client, namespace, shards: SHARDS, clock: () => now, ...options });
  }
  function keysOf(b: RedisBackend, key: string) {
    const shard = shardKeys(b.namespace, shardOf(key, SHARDS));
    return { shard, ...timelineKeys(shard, key) };
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

  it('add writes a timeline zset, a values hash and a ready entry, with exact scores', async () => {
    const b = backend();
    await b.add('mail:p:1', { key: 'a', value: { n: 1 }, timestamp: T + 0.25 });
    await b.add('mail:p:1', { key: 'b', value: 'two', timestamp: T - 1e-3 });
    const k = keysOf(b, 'mail:p:1');
    expect(k.timeline).toBe(`{${b.namespace}:${shardOf('mail:p:1', SHARDS)}}:timeline:mail:p:1`);
    expect((await namespaceKeys(client, b.namespace)).sort()).toEqual(
      [k.timeline, k.values, k.shard.ready].sort(),
    );
    expect(await client.type(k.timeline)).toBe('zset');
    expect(await client.type(k.values)).toBe('hash');
    expect(await client.type(k.shard.ready)).toBe('zset');
    const scores = await client.zrange(k.timeline, 0, -1, 'WITHSCORES');
    expect(scores.map((s, i) => (i % 2 ? Number(s) : s))).toEqual(['b', T - 1e-3, 'a', T + 0.25]);
    expect(await client.hgetall(k.values)).toEqual({ a: '{"n":1}', b: '"two"' });
    expect(Number(await client.zscore(k.shard.ready, 'mail:p:1'))).toBe(T + 0.25);
    // Data keys never expire on their own: only the clock-driven rules remove them.
    for (const key of [k.timeline, k.values, k.shard.ready]) expect(await client.ttl(key)).toBe(-1);
  });

  it('a digest holds a snapshot and a lease; commit leaves last and a waiting entry', async () => {
    const b = backend({ leaseDuration: 10_000, minimumDelay: 60_000 });
    const k = keysOf(b, 'k');
    await b.add('k', { key: 'a', value: 1, timestamp: T });
    await b.digest('k', async () => {
      expect(await client.exists(k.timeline, k.values)).toBe(0);
      expect(await client.zrange(k.snapshot, 0, -1)).toEqual(['a']);
      expect(await client.hgetall(k.snapshotValues)).toEqual({ a: '1' });
      const lease = await client.hgetall(k.lease);
      expect(lease.token).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(lease.expires)).toBe(T + 10_000);
      // PEXPIRE is garbage collection only, far beyond the lease itself.
      const pttl = await client.pttl(k.lease);
      expect(pttl).toBeGreaterThan(2 * 10_000);
      expect(pttl).toBeLessThanOrEqual(2 * 10_000 + 60_000);
      now += 5;
    });
    expect((await namespaceKeys(client, b.namespace)).sort()).toEqual(
      [k.last, k.shard.waiting].sort(),
    );
    expect(await client.get(k.last)).toBe(String(T + 5));
    expect(Number(await client.zscore(k.shard.waiting, 'k'))).toBe(T + 5 + 60_000);
  });

  it('with ttl, adds and digests record the touch time in the shard zset', async () => {
    const b = backend({ ttl: 3_600_000 });
    const k = keysOf(b, 'k');
    await b.add('k', { key: 'a', value: 1, timestamp: 0 });
    expect(Number(await client.zscore(k.shard.touched, 'k'))).toBe(T);
    now += 1_000;
    await b.digest('k', () => undefined);
    expect(Number(await client.zscore(k.shard.touched, 'k'))).toBe(T + 1_000);
    now += 4_000_000;
    expect(await b.maintenance(0)).toBe(0);
    expect(await namespaceKeys(client, b.namespace)).toEqual([]);
  });

  it('keys with braces, colons, NUL and emoji stay in their own shard slot', async () => {
    const b = backend();
    const odd = ['{a}', 'x}{y', ':', 'a\u0000b', '😀 {}', 'd:{x}:timeline:k'];
    for (const key of odd) await b.add(key, { key: 'r', value: key, timestamp: T });
    for (const key of odd) {
      const k = keysOf(b, key);
      const tag = `{${b.namespace}:${shardOf(key, SHARDS)}}`;
      expect(k.timeline.startsWith(`${tag}:timeline:`)).toBe(true);
      expect(await client.zscore(k.shard.ready, key)).toBe(String(T));
      expect(await client.hget(k.values, 'r')).toBe(JSON.stringify(key));
    }
  });

  it('byte-valued codecs are stored as raw bytes', async () => {
    const b = backend({ codec: new CompressedJsonCodec({ threshold: 16 }) });
    const k = keysOf(b, 'k');
    const big = { text: 'x'.repeat(200) };
    await b.add('k', { key: 'small', value: 1, timestamp: T });
    await b.add('k', { key: 'big', value: big, timestamp: T });
    expect(await client.hgetBuffer(k.values, 'small')).toEqual(Buffer.from('\u00001', 'latin1'));
    const stored = (await client.hgetBuffer(k.values, 'big'))!;
    expect(stored[0]).toBe(1);
    expect(stored.length).toBeLessThan(100);
    const records = await b.digest('k', (r) => r);
    expect(records.map((r) => r.value)).toEqual([1, big]);
  });

  it('a limited digest takes the oldest records and leaves the rest in the snapshot', async () => {
    const b = backend({ minimumDelay: 60_000 });
    const k = keysOf(b, 'k');
    for (let i = 0; i < 5; i++) await b.add('k', { key: `r${i}`, value: i, timestamp: T + i });
    const handed = await b.digest('k', (records) => records.map((r) => r.key), { limit: 2 });
    expect(handed).toEqual(['r1', 'r0']); // the oldest two, newest first
    expect(await client.zrange(k.snapshot, 0, -1)).toEqual(['r2', 'r3', 'r4']);
    expect(Object.keys(await client.hgetall(k.snapshotValues)).sort()).toEqual(['r2', 'r3', 'r4']);
    expect(await client.exists(k.lease, k.timeline)).toBe(0);
    // Still ready with its score, L = now: the rest goes out in the next digest.
    expect(Number(await client.zscore(k.shard.ready, 'k'))).toBe(T);
    expect(await client.get(k.last)).toBe(String(T));
  });

  it('values the codec cannot decode move raw into the quarantine keys', async () => {
    const codec = {
      name: 'strict',
      encode: (value: unknown) => JSON.stringify(value),
      decode: (data: string | Uint8Array) => {
        const text = Buffer.from(data).toString('utf8');
        if (text.includes('poison')) throw new Error('cannot decode');
        return JSON.parse(text) as unknown;
      },
    };
    const b = backend({ codec });
    const k = keysOf(b, 'k');
    await b.add('k', { key: 'good', value: 'fine', timestamp: T });
    await b.add('k', { key: 'bad', value: 'poison', timestamp: T + 1 });
    expect(await b.digest('k', (records) => records.map((r) => r.key))).toEqual(['good']);
    expect(await client.type(k.quarantine)).toBe('zset');
    expect(await client.zrange(k.quarantine, 0, -1, 'WITHSCORES')).toEqual(['bad', String(T + 1)]);
    expect(await client.hgetall(k.quarantineValues)).toEqual({ bad: '"poison"' });
    expect(await b.inspect('k')).toMatchObject({ quarantined: 1 });
    const [raw] = await b.quarantined('k');
    expect(Buffer.from(raw!.value).toString('utf8')).toBe('"poison"');
    expect(await b.deleteQuarantined('k')).toBe(1);
    expect(await client.exists(k.quarantine, k.quarantineValues)).toBe(0);
  });

  it('other namespaces and unrelated keys are never touched', async () => {
    const b = backend();
    const other = backend();
    const shard = shardKeys(b.namespace, shardOf('k', SHARDS));
    const unrelated: Record<string, string> = {
      [`${b.namespace}:k`]: 'plain',
      [`{${b.namespace}}:ready`]: 'braced',
      [`{${b.namespace}.x:0}:ready`]: 'look-alike namespace',
    };
    for (const [key, value] of Object.entries(unrelated)) await client.set(key, value);
    await other.add('k', { key: 'a', value: 1, timestamp: T });
    await b.add('k', { key: 'a', value: 1, timestamp: T });
    await b.digest('k', () => undefined);
    await b.maintenance(Number.POSITIVE_INFINITY);
    for await (const _ of b.schedule(Number.POSITIVE_INFINITY));
    await b.digest('k', () => undefined);
    await b.delete('k');
    expect(await namespaceKeys(client, b.namespace)).toEqual([]);
    expect(await client.exists(shard.ready)).toBe(0);
    expect(await other.inspect('k')).toEqual({ state: 'ready', score: T, size: 1 });
    for (const [key, value] of Object.entries(unrelated)) {
      expect(await client.get(key)).toBe(value);
      await client.del(key);
    }
  });
});
