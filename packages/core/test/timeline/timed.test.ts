import { afterEach, describe, expect, it } from 'vitest';
import { timed } from '../../src/timeline/timed.js';
import { Timeline } from '../../src/timeline/timeline.js';
import { currentTimeline, runWithTimeline } from '../../src/timeline/timeline-context.js';
import { setTracingMode } from '../../src/timeline/tracing.js';

afterEach(() => setTracingMode('auto'));

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('timed', () => {
  it('without a timeline or tracer, returns exactly what fn returns', async () => {
    setTracingMode('off');
    const promise = Promise.resolve(1);
    expect(timed('x', 'y', () => promise)).toBe(promise);
    expect(timed('x', 'y', () => 42)).toBe(42);
    setTracingMode('auto');
    expect(timed('x', 'y', () => promise)).toBe(promise);
    expect(currentTimeline()).toBeUndefined();
  });

  it('records sync and async actions into the current timeline', async () => {
    await runWithTimeline(async (timeline) => {
      expect(currentTimeline()).toBe(timeline);
      expect(timed('memory', 'GET a', () => 'a')).toBe('a');
      expect(await timed('memory', 'GET b', async () => 'b')).toBe('b');
      expect(timeline.actions.map((a) => [a.category, a.detail])).toEqual([
        ['memory', 'GET a'],
        ['memory', 'GET b'],
      ]);
      for (const action of timeline.actions) expect(action.duration).toBeGreaterThanOrEqual(0);
    });
  });

  it('records errors, sync and async, and re-throws them unchanged', async () => {
    await runWithTimeline(async (timeline) => {
      const sync = new Error('sync');
      const async = new Error('async');
      expect(() =>
        timed('redis', 'EVAL a', () => {
          throw sync;
        }),
      ).toThrow(sync);
      await expect(timed('redis', 'EVAL b', () => Promise.reject(async))).rejects.toBe(async);
      expect(timeline.actions.map((a) => a.error)).toEqual([sync, async]);
      expect(timeline.summary().failed).toBe(2);
    });
  });

  it('nests: an action started inside another names it as parent', async () => {
    await runWithTimeline(async (timeline) => {
      await timed('backend', 'DIGEST k', async () => {
        await timed('sql', 'SELECT', async () => {
          await tick();
          timed('codec', 'decode', () => undefined);
        });
        await timed('sql', 'DELETE', tick);
      });
      await timed('backend', 'SCHEDULE', tick);
      expect(timeline.actions.map((a) => [a.detail, a.parent])).toEqual([
        ['DIGEST k', undefined],
        ['SELECT', 0],
        ['decode', 1],
        ['DELETE', 0],
        ['SCHEDULE', undefined],
      ]);
    });
  });

  it('concurrent actions overlap and keep their own parents', async () => {
    await runWithTimeline(async (timeline) => {
      await timed('worker', 'pass', () =>
        Promise.all(
          ['a', 'b', 'c'].map((key) =>
            timed('backend', `DIGEST ${key}`, async () => {
              await tick();
              await timed('deliver', key, tick);
            }),
          ),
        ),
      );
      const actions = timeline.actions;
      const byDetail = new Map(actions.map((a, i) => [a.detail, { ...a, index: i }]));
      for (const key of ['a', 'b', 'c']) {
        const digest = byDetail.get(`DIGEST ${key}`);
        expect(digest?.parent).toBe(0);
        expect(byDetail.get(key)?.parent).toBe(digest?.index);
      }
      // All three digests started before any finished: their intervals overlap.
      const digests = actions.filter((a) => a.detail.startsWith('DIGEST'));
      const latestStart = Math.max(...digests.map((a) => a.start));
      const earliestEnd = Math.min(...digests.map((a) => a.start + (a.duration ?? 0)));
      expect(latestStart).toBeLessThanOrEqual(earliestEnd);
    });
  });

  it('concurrent timelines never mix', async () => {
    const run = (name: string) =>
      runWithTimeline(async (timeline) => {
        for (let i = 0; i < 3; i++) {
          await timed('x', `${name}${i}`, tick);
        }
        return timeline.actions.map((a) => a.detail);
      });
    expect(await Promise.all([run('a'), run('b')])).toEqual([
      ['a0', 'a1', 'a2'],
      ['b0', 'b1', 'b2'],
    ]);
  });

  it('runWithTimeline accepts a timeline of the caller', () => {
    const mine = new Timeline();
    runWithTimeline(() => timed('x', 'y', () => undefined), mine);
    expect(mine.actions).toHaveLength(1);
  });
});
