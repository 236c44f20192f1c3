import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, mergeSnapshot, newestFirst } from '../src/index.js';

describe('compareCodePoints', () => {
  it('orders strings as their UTF-8 bytes do (what Redis, PostgreSQL "C" and SQLite use)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(Math.sign(compareCodePoints(a, b))).toBe(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('puts astral characters after the end of the BMP, unlike UTF-16 comparison', () => {
    expect('😀' < '\uffff').toBe(true);
    expect(compareCodePoints('😀', '\uffff')).toBeGreaterThan(0);
  });
});

describe('mergeSnapshot', () => {
  const r = (key: string, timestamp: number, value = key) => ({ key, value, timestamp });

  it('keeps the newer record of a key in both, the timeline on a tie', () => {
    const merged = mergeSnapshot(
      [r('a', 5, 'left a'), r('b', 1, 'left b'), r('c', 3, 'left c')],
      [r('a', 4, 'new a'), r('b', 2, 'new b'), r('c', 3, 'new c')],
      undefined,
    );
    expect(merged).toEqual([r('a', 5, 'left a'), r('c', 3, 'new c'), r('b', 2, 'new b')]);
  });

  it('trims to capacity, keeping the newest', () => {
    const merged = mergeSnapshot([r('a', 1), r('b', 2)], [r('c', 3)], 2);
    expect(merged.map((x) => x.key)).toEqual(['c', 'b']);
  });

  it('sorts ties by key, descending', () => {
    expect([r('a', 1), r('c', 1), r('b', 1)].sort(newestFirst).map((x) => x.key)).toEqual([
      'c',
      'b',
      'a',
    ]);
  });
});
