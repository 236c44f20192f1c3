import { type AddEntry, type BackendOptions, runWithTimeline } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { RedisBackend, shardOf } from '@digests/redis';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropNamespace, namespaceKeys, uniqueNamespace } from './support/namespace-keys.js';
import {
  type PrivateServer,
  REDIS_URL,
  requireRedis,
  requireRedisBinaries,
  startRedisServer,
} from './support/redis-servers.js';

const available = await requireRedis();
const binaries = await requireRedisBinaries();
const T = 1_700_000_000_000;
/** 40 timelines over 16 shards: every batch spans many shards. */
const KEYS = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? `{p}:${i} 😀` : `mail:p:${i}`));

interface Round {
  entries: { key: number; record: number; at: number }[];
  options?: { incrementDelay?: number; maximumDelay?: number };
  advance: number;
  digest: { key: number; fail: boolean }[];
}

const round: fc.Arbitrary<Round> = fc.record(
  {
    entries: fc.array(
      fc.record({
        key: fc.nat({ max: KEYS.length - 1 }),
        record: fc.nat({ max: 5 }), // duplicates within a batch replace
        at: fc.integer({ min: -3, max: 30 }).map((n) => n * 50),
      }),
      { maxLength: 120 },
    ),
    options: fc.record(
      { incrementDelay: fc.constantFrom(0, 10, 75), maximumDelay: fc.constantFrom(0, 200, 2_000) },
      { requiredKeys: [] },
    ),
    advance: fc.constantFrom(0, 60, 250, 1_000),
    digest: fc.array(fc.record({ key: fc.nat({ max: KEYS.length - 1 }), fail: fc.boolean() }), {
      maxLength: 8,
    }),
  },
  { requiredKeys: ['entries', 'advance', 'digest'] },
);

function entriesOf(r: Round, now: number): AddEntry<unknown>[] {
  return r.entries.map((e) => ({
    key: KEYS[e.key]!,
    record: { key: `r${e.record}`, value: { r: e.record, at: e.at }, timestamp: now + e.at },
  }));
}

async function settle<R>(work: () => Promise<R>): Promise<R | { error: string }> {
  try {
    return await work();
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/** EVAL and EVALSHA calls so far, from INFO commandstats. */
async function evalCalls(admin: Redis): Promise<{ eval: number; evalsha: number }> {
  const info = await admin.info('commandstats');
  const calls = (name: string) =>
    Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

describe.skipIf(!available)('RedisBackend.addMany (native)', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await client.quit();
  });

  it.each<[string, BackendOptions<unknown>]>([
    ['small delays', { minimumDelay: 100, incrementDelay: 30, maximumDelay: 1_000 }],
    ['capacity 3, always trimming', { capacity: 3, truncationChance: 1, minimumDelay: 50 }],
    ['ttl', { ttl: 5_000, maximumDelay: 2_000 }],
  ])(
    'a batch over many shards resolves, in order, what MemoryBackend.add resolves one by one: %s',
    async (_, options) => {
      await fc.assert(
        fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 6 }), async (rounds) => {
          let now = T;
          const clock = () => now;
          const memory = new MemoryBackend({ ...options, clock });
          const namespace = uniqueNamespace('many');
          const redis = new RedisBackend({ ...options, clock, client, namespace });
          try {
            for (const r of rounds) {
              const entries = entriesOf(r, now);
              const expected: boolean[] = [];
              for (const { key, record } of entries) {
                expected.push(await memory.add(key, record, r.options));
              }
              expect(await redis.addMany(entries, r.options)).toEqual(expected);
              now += r.advance;
              for (const d of r.digest) {
                const fn = (records: readonly unknown[]) => {
                  if (d.fail) throw new Error('fail');
                  return records;
                };
                const key = KEYS[d.key]!;
                expect(await settle(() => redis.digest(key, fn))).toEqual(
                  await settle(() => memory.digest(key, fn)),
                );
              }
              const due = async (backend: MemoryBackend | RedisBackend) => {
                const keys: string[] = [];
                for await (const entry of backend.schedule(now)) keys.push(entry.key);
                return keys.sort();
              };
              expect(await due(redis)).toEqual(await due(memory));
            }
            for (const k of KEYS) expect(await redis.inspect(k)).toEqual(await memory.inspect(k));
            expect(await redis.stats()).toEqual(await memory.stats());
          } finally {
            await dropNamespace(client, namespace);
          }
        }),
        { numRuns: 25 },
      );
    },
    120_000,
  );

  it('a value the codec rejects in the middle of the batch writes nothing', async () => {
    const namespace = uniqueNamespace('many-codec');
    const redis = new RedisBackend({ client, namespace });
    const entries: AddEntry<unknown>[] = KEYS.map((key, i) => ({
      key,
      record: { key: `r${i}`, value: i === 20 ? { big: 10n } : { i }, timestamp: T + i },
    }));
    try {
      await expect(redis.addMany(entries)).rejects.toMatchObject({ name: 'CodecError' });
      expect(await namespaceKeys(client, namespace)).toEqual([]);
      expect(await redis.inspect(KEYS[0]!)).toEqual({ state: 'absent', size: 0 });
    } finally {
      await dropNamespace(client, namespace);
    }
  });

  it('records one `ADD_MANY shard S ×N` action per script call', async () => {
    const namespace = uniqueNamespace('many-timed');
    const redis = new RedisBackend({ client, namespace, shards: 4 });
    const entries: AddEntry<unknown>[] = KEYS.map((key, i) => ({
      key,
      record: { key: 'r', value: i, timestamp: T },
    }));
    try {
      const timeline = await runWithTimeline(async (timeline) => {
        await redis.addMany(entries);
        return timeline;
      });
      const counts = new Map<number, number>();
      for (const key of KEYS) counts.set(shardOf(key, 4), (counts.get(shardOf(key, 4)) ?? 0) + 1);
      const expected = [...counts].map(([shard, n]) => `redis ADD_MANY shard ${shard} ×${n}`);
      const actual = timeline.actions.map((a) => `${a.category} ${a.detail}`);
      expect(actual.sort()).toEqual(expected.sort());
    } finally {
      await dropNamespace(client, namespace);
    }
  });
});

describe.skipIf(!binaries)('RedisBackend.addMany round trips (private redis-server)', () => {
  let server: PrivateServer;
  let admin: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  it('sends one EVALSHA per shard per 500 entries (INFO commandstats)', async () => {
    const backend = new RedisBackend({ client: admin, namespace: 'rt' });
    // Two entries: a single add goes through the `add` script, a batch through `add-many`.
    await backend.addMany([
      { key: 'warm-up', record: { key: 'a', value: 1, timestamp: T } },
      { key: 'warm-up', record: { key: 'b', value: 1, timestamp: T } },
    ]);
    // 1200 entries on one timeline (3 calls to its shard) plus one entry per other timeline.
    const hot = 'mail:hot';
    const entries: AddEntry<unknown>[] = [
      ...KEYS.map((key, i) => ({ key, record: { key: 'r', value: i, timestamp: T + i } })),
      ...Array.from({ length: 1_200 }, (_, i) => ({
        key: hot,
        record: { key: `h${i}`, value: i, timestamp: T + i },
      })),
    ];
    const perShard = new Map<number, number>();
    for (const { key } of entries) {
      const shard = shardOf(key, 16);
      perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
    }
    const calls = [...perShard.values()].reduce((sum, n) => sum + Math.ceil(n / 500), 0);
    expect(perShard.size).toBeGreaterThan(8);
    await admin.config('RESETSTAT');
    const results = await backend.addMany(entries);
    const stats = await evalCalls(admin);
    expect(stats).toEqual({ eval: 0, evalsha: calls });
    expect(results.slice(0, KEYS.length).every(Boolean)).toBe(true);
    expect(results.slice(KEYS.length, KEYS.length + 1)).toEqual([true]);
    expect(results.slice(KEYS.length + 1).some(Boolean)).toBe(false);
    expect((await backend.inspect(hot)).size).toBe(1_200);
  });
});
