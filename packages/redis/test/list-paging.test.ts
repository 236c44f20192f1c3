import { compareListPositions, type ListEntry } from '@digests/core';
import { RedisBackend } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropNamespace, uniqueNamespace } from './support/namespace-keys.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();
const T = 1_700_000_000_000;

describe.skipIf(!available)('list pages across shards in schedule order', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await client.quit();
  });

  it('hundreds of keys sharing one due time (a calendar window) page exactly, keys by code point', async () => {
    const namespace = uniqueNamespace('list');
    const backend = new RedisBackend({ client, namespace, shards: 5, clock: () => T });
    const odd = ['a\u0000b', 'a', 'ab', '😀', '\uffff', 'Z', '{x}', 'é'];
    const keys = [...odd, ...Array.from({ length: 240 }, (_, i) => `mail:p:${i}`)];
    try {
      // All waiting at the same 09:00, a few ready at other scores.
      const nine = T + 3_600_000;
      await backend.addMany(
        keys.map((key) => ({ key, record: { key: 'r', value: 1, timestamp: T } })),
        { dueAt: nine },
      );
      for (const key of ['mail:p:1', 'mail:p:2', '😀']) await backend.flush(key);
      const expected: ListEntry[] = keys
        .map(
          (key): ListEntry =>
            ['mail:p:1', 'mail:p:2', '😀'].includes(key)
              ? { key, state: 'ready', score: T, size: 1 }
              : { key, state: 'waiting', score: nine, size: 1 },
        )
        .sort(compareListPositions);
      for (const state of [undefined, 'waiting', 'ready'] as const) {
        const seen: ListEntry[] = [];
        let after: string | undefined;
        for (let page = 0; page < 100; page++) {
          const { entries, next } = await backend.list({
            limit: 7,
            ...(state === undefined ? {} : { state }),
            ...(after === undefined ? {} : { after }),
          });
          seen.push(...entries);
          if (next === undefined) break;
          after = next;
        }
        expect(seen).toEqual(expected.filter((e) => state === undefined || e.state === state));
      }
    } finally {
      await dropNamespace(client, namespace);
    }
  });
});
