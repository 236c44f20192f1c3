import type { Backend, ListEntry, ListOptions } from '@digests/core';
import { ConfigurationError, FallbackBackend, PolyBackend, RoutingBackend } from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { byHash } from './targets.js';

const T0 = 1_700_000_000_000;

/** The containers that merge several inner backends' pages. */
const containers: readonly [string, (a: Backend, b: Backend) => Backend][] = [
  ['poly', (a, b) => new PolyBackend([a, b])],
  ['fallback', (a, b) => new FallbackBackend({ primary: a, secondary: b })],
  ['routing', (a, b) => new RoutingBackend({ predicate: byHash, primary: a, secondary: b })],
];

function inners() {
  const options = { clock: () => T0, minimumDelay: 1_000, incrementDelay: 0 };
  return { a: new MemoryBackend(options), b: new MemoryBackend(options) };
}

/** Every page, following `next`; checks that no page is longer than asked. */
async function allPages(backend: Backend, options: ListOptions): Promise<ListEntry[]> {
  const entries: ListEntry[] = [];
  let page = await backend.list(options);
  for (let pages = 1; ; pages++) {
    expect(page.entries.length).toBeLessThanOrEqual(options.limit ?? 100);
    entries.push(...page.entries);
    if (page.next === undefined) return entries;
    expect(pages).toBeLessThan(1_000);
    page = await backend.list({ ...options, after: page.next });
  }
}

const order = (x: ListEntry, y: ListEntry) =>
  x.score - y.score || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);

describe.each(containers)('%s: list', (_, build) => {
  it('pages through every key once, in schedule order, whatever the page size', async () => {
    const { a, b } = inners();
    const container = build(a, b);
    // Ready keys scored by their first record; some made waiting by maintenance.
    for (let i = 0; i < 23; i++) {
      await container.add(`key:${i}`, { key: 'e', value: i, timestamp: T0 + (i % 7) });
    }
    await container.maintenance(T0 + 3);
    const expected = (await allPages(container, { limit: 10_000 })).sort(order);
    expect(expected.map((entry) => entry.key).sort()).toEqual(
      Array.from({ length: 23 }, (_, i) => `key:${i}`).sort(),
    );
    for (const limit of [1, 2, 5, 22, 23, 24]) {
      expect(await allPages(container, { limit })).toEqual(expected);
      for (const state of ['waiting', 'ready'] as const) {
        expect(await allPages(container, { limit, state })).toEqual(
          expected.filter((entry) => entry.state === state),
        );
      }
    }
  });

  it('rejects a cursor it did not make with ConfigurationError', async () => {
    const { a, b } = inners();
    await expect(build(a, b).list({ after: 'not a cursor' })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });
});

describe('list over a key that two inner backends hold', () => {
  it('lists it once, at its combined state, score and size, on whichever page it falls', async () => {
    const { a, b } = inners();
    const fallback = new FallbackBackend({ primary: a, secondary: b });
    // `k` waits in the primary at T0+5 and is ready in the secondary at T0+50.
    await a.add('k', { key: 'p', value: 1, timestamp: T0 + 5 });
    await a.maintenance(T0 + 5);
    await b.add('k', { key: 's1', value: 1, timestamp: T0 + 50 });
    await b.add('k', { key: 's2', value: 1, timestamp: T0 + 51 });
    for (const [i, t] of [1, 10, 40, 60].entries()) {
      await a.add(`other:${i}`, { key: 'e', value: 1, timestamp: T0 + t });
    }
    const entry = { key: 'k', state: 'ready', score: T0 + 50, size: 3 };
    for (const limit of [1, 2, 3]) {
      const entries = await allPages(fallback, { limit });
      expect(entries.filter((e) => e.key === 'k')).toEqual([entry]);
      expect(entries.map((e) => e.key)).toEqual(['other:0', 'other:1', 'other:2', 'k', 'other:3']);
      expect(await allPages(fallback, { limit, state: 'waiting' })).toEqual([]);
    }
  });

  it('a poly lists a copy once with the largest size', async () => {
    const { a, b } = inners();
    const poly = new PolyBackend([a, b]);
    await poly.add('k', { key: 'e1', value: 1, timestamp: T0 });
    await a.add('k', { key: 'e2', value: 1, timestamp: T0 + 1 }); // b missed this one
    expect((await poly.list()).entries).toEqual([{ key: 'k', state: 'ready', score: T0, size: 2 }]);
  });
});

describe('list while an inner backend is down', () => {
  it('lists what the others hold, and fails only when none answers', async () => {
    const { a, b } = inners();
    const down = new FaultyBackend<unknown>(a);
    const fallback = new FallbackBackend({ primary: down, secondary: b });
    await a.add('in-primary', { key: 'e', value: 1, timestamp: T0 });
    await b.add('in-secondary', { key: 'e', value: 1, timestamp: T0 + 1 });
    down.down = true;
    expect((await fallback.list()).entries.map((e) => e.key)).toEqual(['in-secondary']);
    down.heal();
    expect((await fallback.list()).entries.map((e) => e.key)).toEqual([
      'in-primary',
      'in-secondary',
    ]);
  });
});
