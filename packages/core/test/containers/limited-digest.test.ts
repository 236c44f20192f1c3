import type { Backend, TimelineRecord } from '@digests/core';
import { FallbackBackend, PolyBackend, RoutingBackend } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { T0 } from './helpers.js';

/**
 * How each container is built over two inner backends that may both hold
 * the key, and how its `inspect` combines their sizes.
 */
const containers: readonly [string, (a: Backend, b: Backend) => Backend, 'max' | 'sum'][] = [
  ['poly', (a, b) => new PolyBackend([a, b]), 'max'],
  ['fallback', (a, b) => new FallbackBackend({ primary: a, secondary: b }), 'sum'],
  // The key routes to `a`; records in `b` were stranded by a changed predicate.
  [
    'routing',
    (a, b) => new RoutingBackend({ predicate: () => true, primary: a, secondary: b }),
    'sum',
  ],
];

/** A small seeded generator, so a failing scenario can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function inners() {
  const options = { clock: () => T0, minimumDelay: 0 };
  return { a: new MemoryBackend(options), b: new MemoryBackend(options) };
}

const rec = (key: string, timestamp: number): TimelineRecord => ({ key, value: key, timestamp });

/** The oldest `limit` record keys: timestamp, then record key (code points). */
function oldest(records: readonly TimelineRecord[], limit: number): string[] {
  return [...records]
    .sort((x, y) => x.timestamp - y.timestamp || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .slice(0, limit)
    .map((record) => record.key);
}

/**
 * Digests `key` with `limit` until nothing is left anywhere; checks every
 * delivery's size and that the key always gets somewhere. Returns every
 * delivered record key, in delivery order (duplicates included).
 */
async function drainLimited(container: Backend, key: string, limit: number): Promise<string[]> {
  const delivered: string[] = [];
  for (let round = 0; round < 200; round++) {
    const info = await container.inspect(key);
    if (info.size === 0 && info.state !== 'ready') return delivered;
    if (info.state === 'waiting') await container.flush(key);
    await container.digest(
      key,
      (records) => {
        expect(records.length).toBeLessThanOrEqual(limit);
        expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
        delivered.push(...records.map((r) => r.key));
      },
      { limit },
    );
  }
  throw new Error(`${key} was not drained in 200 limited digests`);
}

describe.each(containers)('%s: digest with limit', (_, build, sizes) => {
  it('hands fn the oldest `limit` of the merged snapshots, newest first, and keeps the rest', async () => {
    const { a, b } = inners();
    const container = build(a, b);
    // a: 1 4 5 8   b: 2 3 6 7  (timestamps) — interleaved so neither inner alone is the answer.
    for (const t of [1, 4, 5, 8]) await a.add('k', rec(`r${t}`, T0 + t));
    for (const t of [2, 3, 6, 7]) await b.add('k', rec(`r${t}`, T0 + t));
    const got = await container.digest('k', (records) => records.map((r) => r.key), { limit: 3 });
    expect(got).toEqual(['r3', 'r2', 'r1']);
    expect((await a.inspect('k')).size).toBe(3);
    expect((await b.inspect('k')).size).toBe(2);
    expect(await container.inspect('k')).toMatchObject({
      state: 'ready',
      size: sizes === 'max' ? 3 : 5,
    });
    expect(await drainLimited(container, 'k', 3)).toEqual(['r6', 'r5', 'r4', 'r8', 'r7']);
  });

  it('makes progress where each inner share reaches past the delivery (a: 1 4, b: 2 3, limit 2)', async () => {
    const { a, b } = inners();
    const container = build(a, b);
    for (const t of [1, 4]) await a.add('k', rec(`r${t}`, T0 + t));
    for (const t of [2, 3]) await b.add('k', rec(`r${t}`, T0 + t));
    const first = await container.digest('k', (records) => records.map((r) => r.key), {
      limit: 2,
    });
    expect(first).toEqual(['r2', 'r1']);
    expect((await a.inspect('k')).size + (await b.inspect('k')).size).toBe(2);
    expect(await drainLimited(container, 'k', 2)).toEqual(['r4', 'r3']);
  });

  it('when fn throws, nothing is removed from any inner backend', async () => {
    const { a, b } = inners();
    const container = build(a, b);
    for (const t of [1, 4]) await a.add('k', rec(`r${t}`, T0 + t));
    for (const t of [2, 3]) await b.add('k', rec(`r${t}`, T0 + t));
    const boom = new Error('delivery failed');
    await expect(
      container.digest(
        'k',
        () => {
          throw boom;
        },
        { limit: 3 },
      ),
    ).rejects.toBe(boom);
    expect((await a.inspect('k')).size + (await b.inspect('k')).size).toBe(4);
    expect(new Set(await drainLimited(container, 'k', 3))).toEqual(
      new Set(['r1', 'r2', 'r3', 'r4']),
    );
  });

  it('random placements and limits: never more than `limit`, nothing lost (120 seeded scenarios)', async () => {
    let duplicates = 0;
    let records = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const next = random(seed);
      const { a, b } = inners();
      const container = build(a, b);
      const count = 1 + Math.floor(next() * 12);
      const limit = 1 + Math.floor(next() * 5);
      const all: TimelineRecord[] = [];
      for (let i = 0; i < count; i++) {
        // Few distinct timestamps, so ties are broken by record key.
        const record = rec(`e${Math.floor(next() * 1000)}`, T0 + Math.floor(next() * 4));
        if (all.some((r) => r.key === record.key)) continue;
        all.push(record);
        const where = next();
        if (where < 0.4 || where >= 0.7) await a.add('k', record);
        if (where >= 0.4) await b.add('k', record);
      }
      const firstDelivery = await container.digest('k', (rs) => rs.map((r) => r.key), { limit });
      expect(new Set(firstDelivery), `seed ${seed}`).toEqual(new Set(oldest(all, limit)));
      const delivered = [...firstDelivery, ...(await drainLimited(container, 'k', limit))];
      expect(new Set(delivered), `seed ${seed}: every record delivered`).toEqual(
        new Set(all.map((r) => r.key)),
      );
      expect((await a.inspect('k')).size + (await b.inspect('k')).size).toBe(0);
      duplicates += delivered.length - all.length;
      records += all.length;
    }
    console.info(`limited digests: ${records} records, ${duplicates} delivered twice, 0 lost`);
  });
});

describe('poly: digest with limit over identical copies', () => {
  it('delivers each record exactly once and keeps the copies identical', async () => {
    const { a, b } = inners();
    const poly = new PolyBackend([a, b]);
    for (let t = 0; t < 10; t++) await poly.add('k', rec(`r${t}`, T0 + t));
    const delivered = await drainLimited(poly, 'k', 3);
    expect(delivered).toEqual(['r2', 'r1', 'r0', 'r5', 'r4', 'r3', 'r8', 'r7', 'r6', 'r9']);
    expect(await a.storedItems()).toBe(await b.storedItems());
  });
});
