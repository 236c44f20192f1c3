import { describe, expect, it } from 'vitest';
import { nextSchedule } from '../src/index.js';

describe('nextSchedule (SPEC "add")', () => {
  it('ready stays ready with its score and does not ask for delivery', () => {
    expect(nextSchedule({ state: 'ready', score: 7 }, 100, 0, 30, 300)).toEqual({
      state: 'ready',
      score: 7,
      first: false,
    });
  });

  it('absent becomes ready at the record timestamp: deliver at once', () => {
    expect(nextSchedule({ state: 'absent' }, 100, undefined, 30, 300)).toEqual({
      state: 'ready',
      score: 100,
      first: true,
    });
  });

  it('waiting with last-processed unknown takes min(S, t)', () => {
    expect(nextSchedule({ state: 'waiting', score: 50 }, 100, undefined, 30, 300).score).toBe(50);
    expect(nextSchedule({ state: 'waiting', score: 500 }, 100, undefined, 30, 300).score).toBe(100);
  });

  it('waiting after a digest takes min(S + increment, L + maximum)', () => {
    expect(nextSchedule({ state: 'waiting', score: 1000 }, 0, 900, 30, 300).score).toBe(1030);
    expect(nextSchedule({ state: 'waiting', score: 1190 }, 0, 900, 30, 300).score).toBe(1200);
  });
});
