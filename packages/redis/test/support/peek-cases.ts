import {
  type BackendOptions,
  ConfigurationError,
  type PeekPage,
  type StoreBackend,
} from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { RedisBackend, type RedisClient } from '@digests/redis';
import { expect, it } from 'vitest';
import { dropNamespace, namespaceKeys, uniqueNamespace } from './namespace-keys.js';

const T = 1_700_000_000_000;
const KEY = 'mail:{p}:1';

/** A Redis backend and the reference `MemoryBackend` on one clock, given the same calls. */
interface Twins {
  readonly memory: MemoryBackend;
  readonly redis: RedisBackend;
  readonly advance: (ms: number) => void;
}

async function withTwins(
  client: () => RedisClient,
  options: BackendOptions<unknown>,
  body: (twins: Twins) => Promise<void>,
): Promise<void> {
  let now = T;
  const clock = () => now;
  const memory = new MemoryBackend({ ...options, clock });
  const namespace = uniqueNamespace('peek');
  const redis = new RedisBackend({ ...options, clock, client: client(), namespace, shards: 3 });
  try {
    await body({ memory, redis, advance: (ms) => (now += ms) });
  } finally {
    await redis.close();
    await dropNamespace(client(), namespace);
  }
}

/** Runs `call` on both backends (memory first); expects the same outcome and resolves it. */
async function both<R>(twins: Twins, call: (backend: StoreBackend) => Promise<R>): Promise<R> {
  const expected = await call(twins.memory);
  expect(await call(twins.redis)).toEqual(expected);
  return expected;
}

/** Every page of `key` at `limit` records per page. */
async function allPages(backend: StoreBackend, key: string, limit: number): Promise<PeekPage[]> {
  const pages: PeekPage[] = [];
  let page = await backend.peek(key, { limit });
  pages.push(page);
  while (page.next !== undefined) {
    page = await backend.peek(key, { limit, after: page.next });
    pages.push(page);
  }
  return pages;
}

/**
 * Ties everywhere: most records share one timestamp; keys whose UTF-16 and
 * code-point orders differ (`😀` vs `ｚ`); a failed digest leaves a snapshot,
 * then records are added again under keys the snapshot holds — one at the
 * same timestamp (timeline before snapshot), one newer.
 */
async function seed(twins: Twins): Promise<void> {
  const add = (key: string, at: number) =>
    both(twins, (b) => b.add(KEY, { key, value: { key, at }, timestamp: T + at }));
  for (const [key, at] of [
    ['b', 0],
    ['a', 0],
    ['😀', 0],
    ['ｚ', 0],
    ['é', -3],
    ['a2', 0],
    ['c', 5],
  ] as const) {
    await add(key, at);
  }
  twins.advance(60_000);
  await both(twins, (b) =>
    b
      .digest(KEY, () => {
        throw new Error('delivery failed');
      })
      .catch((error: Error) => error.message),
  );
  for (const [key, at] of [
    ['a', 0],
    ['b', 5],
    ['new', 0],
    ['ｚ', -10],
    ['😀', 0],
  ] as const) {
    await add(key, at);
  }
}

/**
 * Registers the peek cases against Redis on `client` (each case in a
 * namespace of its own), comparing every page with `MemoryBackend` doing
 * the same calls.
 *
 * @example
 * ```ts
 * peekCases(() => client);
 * ```
 */
export function peekCases(client: () => RedisClient): void {
  it('pages through ties and a left-over snapshot in the reference order, at every page size', async () => {
    await withTwins(client, { minimumDelay: 1_000 }, async (twins) => {
      await seed(twins);
      const [whole] = await both(twins, (b) => allPages(b, KEY, 1000));
      expect(whole!.next).toBeUndefined();
      // Both runs of the same key at the same timestamp, timeline first.
      const shown = whole!.records.map(
        (r) => `${r.key}${r.inSnapshot ? '*' : ''}@${r.timestamp - T}`,
      );
      expect(shown).toEqual([
        'c*@5',
        'b@5',
        '😀@0',
        '😀*@0',
        'ｚ*@0',
        'new@0',
        'b*@0',
        'a2*@0',
        'a@0',
        'a*@0',
        'é*@-3',
        'ｚ@-10',
      ]);
      for (let limit = 1; limit <= 13; limit++) {
        const pages = await both(twins, (b) => allPages(b, KEY, limit));
        expect(pages.flatMap((p) => p.records)).toEqual(whole!.records);
      }
      expect(await both(twins, (b) => b.peek('mail:{p}:absent'))).toEqual({ records: [] });
    });
  });

  it('shows the snapshot a running digest holds, and what a limited digest left', async () => {
    await withTwins(client, { minimumDelay: 1_000 }, async (twins) => {
      await seed(twins);
      await both(twins, (b) =>
        b.digest(KEY, async () => (await b.peek(KEY, { limit: 4 })).records, { limit: 3 }),
      );
      const [rest] = await both(twins, (b) => allPages(b, KEY, 1000));
      expect(rest!.records.length).toBeGreaterThan(0);
      expect(rest!.records.every((r) => r.inSnapshot)).toBe(true);
    });
  });

  it('rejects a cursor it did not make with ConfigurationError', async () => {
    await withTwins(client, {}, async ({ redis }) => {
      await redis.add(KEY, { key: 'a', value: 1, timestamp: T });
      const forged = Buffer.from(JSON.stringify([T, 'a', 2])).toString('base64url');
      for (const after of ['not a cursor', forged, '']) {
        await expect(redis.peek(KEY, { after, limit: 1 })).rejects.toBeInstanceOf(
          ConfigurationError,
        );
      }
      await expect(redis.peek(KEY, { limit: 0 })).rejects.toBeInstanceOf(ConfigurationError);
    });
  });

  it('changes nothing: every key byte for byte, inspect, and a digest afterwards', async () => {
    await withTwins(client, { minimumDelay: 1_000, ttl: 3_600_000 }, async (twins) => {
      await seed(twins);
      const { redis } = twins;
      const dump = async () => {
        const keys = (await namespaceKeys(redis.client, redis.namespace)).sort();
        return Promise.all(
          keys.map(async (key) => [key, await redis.client.dumpBuffer(key)] as const),
        );
      };
      const before = await dump();
      const inspected = await both(twins, (b) => b.inspect(KEY));
      twins.advance(1_000);
      const pages = await both(twins, (b) => allPages(b, KEY, 2));
      expect(await dump()).toEqual(before);
      expect(await both(twins, (b) => b.inspect(KEY))).toEqual(inspected);
      const delivered = await both(twins, (b) => b.digest(KEY, (records) => records));
      // The digest merges a key held twice (timeline and snapshot) into one record.
      const peekedKeys = new Set(pages.flatMap((p) => p.records.map((r) => r.key)));
      expect(new Set(delivered.map((r) => r.key))).toEqual(peekedKeys);
      expect(delivered).toHaveLength(peekedKeys.size);
      expect(await both(twins, (b) => b.peek(KEY))).toEqual({ records: [] });
    });
  });
}
