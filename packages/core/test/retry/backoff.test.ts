import {
  BackendUnavailableError,
  DEFAULT_BACKOFF_DELAYS,
  exponentialDelays,
  InvalidKeyError,
  infiniteBackoff,
  isTransient,
  limitedBackoff,
  PolyBackendError,
} from '@digests/core';
import { describe, expect, it } from 'vitest';

describe('backoff helpers', () => {
  it('limited and infinite policies', () => {
    expect(limitedBackoff([1, 2])).toEqual({ delays: [1, 2], repeatLast: false });
    expect(infiniteBackoff([3])).toEqual({ delays: [3], repeatLast: true });
    expect(limitedBackoff().delays).toEqual(DEFAULT_BACKOFF_DELAYS);
    expect(() => infiniteBackoff([])).toThrow(/must not be empty/);
    expect(() => limitedBackoff([Number.NaN])).toThrow(/delays\[0\]/);
  });

  it('exponential delays, capped', () => {
    expect(exponentialDelays({ initial: 100, count: 5, maximum: 1_000 })).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
    expect(exponentialDelays({ initial: 10, count: 3, factor: 3 })).toEqual([10, 30, 90]);
    expect(() => exponentialDelays({ initial: 10, count: 0 })).toThrow(/count/);
  });
});

describe('isTransient', () => {
  it('is the adapter verdict: BackendUnavailableError, or aggregates of only those', () => {
    const down = new BackendUnavailableError('down');
    expect(isTransient(down)).toBe(true);
    expect(isTransient(new PolyBackendError([down, down]))).toBe(true);
    expect(isTransient(new PolyBackendError([down, new InvalidKeyError('bad')]))).toBe(false);
    expect(isTransient(new AggregateError([]))).toBe(false);
    expect(isTransient(new Error('ECONNREFUSED'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});
