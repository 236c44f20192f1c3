import type { Backend, PeekedRecord } from '@digests/core';
import {
  FallbackBackend,
  hasPeek,
  NullBackend,
  PolyBackend,
  RetryingBackend,
  TimedBackend,
} from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { rec, T0 } from './helpers.js';

function inners() {
  const options = { clock: () => T0 };
  return { a: new MemoryBackend(options), b: new MemoryBackend(options) };
}

/** Every record of `key`, page by page (`limit` each). */
async function peekAll(backend: Backend, key: string, limit: number): Promise<PeekedRecord[]> {
  if (!hasPeek(backend)) throw new Error('cannot peek');
  const records: PeekedRecord[] = [];
  let page = await backend.peek(key, { limit });
  for (;;) {
    expect(page.records.length).toBeLessThanOrEqual(limit);
    records.push(...page.records);
    if (page.next === undefined) return records;
    page = await backend.peek(key, { limit, after: page.next });
  }
}

describe('peek through containers', () => {
  it('a fallback merges both sides newest first, on pages of any size', async () => {
    const { a, b } = inners();
    const fallback = new FallbackBackend({ primary: a, secondary: b });
    for (const t of [1, 4, 5]) await a.add('k', rec(`r${t}`, T0 + t));
    for (const t of [2, 3, 6]) await b.add('k', rec(`r${t}`, T0 + t));
    for (const limit of [1, 2, 5, 6, 7]) {
      expect((await peekAll(fallback, 'k', limit)).map((r) => r.key)).toEqual([
        'r6',
        'r5',
        'r4',
        'r3',
        'r2',
        'r1',
      ]);
    }
  });

  it('a poly shows a copied record once', async () => {
    const { a, b } = inners();
    const poly = new PolyBackend([a, b]);
    await poly.add('k', rec('r1', T0 + 1));
    await poly.add('k', rec('r2', T0 + 2));
    await a.add('k', rec('only-a', T0 + 3));
    for (const limit of [1, 2, 3]) {
      expect((await peekAll(poly, 'k', limit)).map((r) => r.key)).toEqual(['only-a', 'r2', 'r1']);
    }
  });

  it('skips an inner backend that is down; wrappers pass it through; NullBackend shows nothing', async () => {
    const { a, b } = inners();
    const down = new FaultyBackend<unknown>(a);
    await a.add('k', rec('in-a'));
    await b.add('k', rec('in-b'));
    const wrapped = new TimedBackend(
      new RetryingBackend({
        backend: new FallbackBackend({ primary: down, secondary: b }),
        delays: [0],
      }),
    );
    down.down = true;
    expect((await peekAll(wrapped, 'k', 10)).map((r) => r.key)).toEqual(['in-b']);
    down.heal();
    expect((await peekAll(wrapped, 'k', 10)).map((r) => r.key).sort()).toEqual(['in-a', 'in-b']);
    expect(await new NullBackend().peek('k')).toEqual({ records: [] });
  });
});
