import type { Backend, BackendOptions } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { RedisBackend } from '@digests/redis';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropNamespace, uniqueNamespace } from './support/namespace-keys.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();
const T = 1_700_000_000_000;
const KEYS = ['a', 'b', 'c{x}', '😀'];

type Step =
  | { op: 'add'; key: number; record: number; at: number; incrementDelay?: number }
  | { op: 'digest'; key: number; fail: boolean; minimumDelay?: number }
  | { op: 'advance'; ms: number }
  | { op: 'schedule'; at: number; chunkSize: number }
  | { op: 'maintenance'; at: number }
  | { op: 'flush' | 'delete' | 'inspect'; key: number };

const key = fc.nat({ max: KEYS.length - 1 });
const offset = fc.integer({ min: -3, max: 30 }).map((n) => n * 50);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        op: fc.constant('add' as const),
        key,
        record: fc.nat({ max: 4 }),
        at: offset,
        incrementDelay: fc.constantFrom(0, 10, 75),
      },
      { requiredKeys: ['op', 'key', 'record', 'at'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      { op: fc.constant('digest' as const), key, fail: fc.boolean(), minimumDelay: fc.nat(400) },
      { requiredKeys: ['op', 'key', 'fail'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.constantFrom(0, 1, 60, 250, 1_000, 9_000),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('schedule' as const),
      at: offset,
      chunkSize: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('maintenance' as const), at: offset }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constantFrom('flush' as const, 'delete' as const, 'inspect' as const),
      key,
    }),
  },
);

/** Runs one step; resolves what the caller would observe (errors by class name). */
async function apply(backend: Backend<unknown>, s: Step, now: number): Promise<unknown> {
  try {
    switch (s.op) {
      case 'add':
        return await backend.add(
          KEYS[s.key]!,
          { key: `r${s.record}`, value: { s: s.record, at: s.at }, timestamp: now + s.at },
          s.incrementDelay === undefined ? undefined : { incrementDelay: s.incrementDelay },
        );
      case 'digest':
        return await backend.digest(
          KEYS[s.key]!,
          (records) => {
            if (s.fail) throw new Error('fail');
            return records;
          },
          s.minimumDelay === undefined ? undefined : { minimumDelay: s.minimumDelay },
        );
      case 'schedule': {
        const out = [];
        for await (const e of backend.schedule(now + s.at, { chunkSize: s.chunkSize })) out.push(e);
        return out;
      }
      case 'maintenance':
        return await backend.maintenance(now + s.at);
      case 'flush':
        return await backend.flush(KEYS[s.key]!);
      case 'delete':
        return await backend.delete(KEYS[s.key]!);
      case 'inspect':
        return await backend.inspect(KEYS[s.key]!);
      case 'advance':
        return undefined;
    }
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

describe.skipIf(!available)(
  'RedisBackend behaves exactly like MemoryBackend (the reference)',
  () => {
    let client: Redis;
    beforeAll(() => {
      client = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      await client.quit();
    });

    it.each<[string, BackendOptions<unknown>, number]>([
      ['small delays, 1 shard', { minimumDelay: 100, incrementDelay: 30, maximumDelay: 1_000 }, 1],
      ['small delays, 3 shards', { minimumDelay: 100, incrementDelay: 30, maximumDelay: 1_000 }, 3],
      ['capacity 2, always trimming', { capacity: 2, truncationChance: 1, minimumDelay: 50 }, 2],
      ['ttl and short leases', { ttl: 5_000, maximumDelay: 2_000, leaseDuration: 500 }, 4],
    ])(
      'over random operation sequences: %s',
      async (_, options, shards) => {
        await fc.assert(
          fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
            let now = T;
            const clock = () => now;
            const memory = new MemoryBackend({ ...options, clock });
            const namespace = uniqueNamespace('parity');
            const redis = new RedisBackend({ ...options, clock, client, namespace, shards });
            try {
              for (const s of steps) {
                if (s.op === 'advance') now += s.ms;
                const expected = await apply(memory, s, now);
                expect(await apply(redis, s, now), JSON.stringify(s)).toEqual(expected);
              }
              for (const k of KEYS) expect(await redis.inspect(k)).toEqual(await memory.inspect(k));
              expect(await redis.stats()).toEqual(await memory.stats());
            } finally {
              await dropNamespace(client, namespace);
            }
          }),
          { numRuns: 100 },
        );
      },
      120_000,
    );
  },
);
