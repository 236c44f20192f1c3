import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/timeline/timeline.js';
import { attachTimeline, timelineOf } from '../../src/timeline/timeline-errors.js';

function fakeTimeline(limit?: number) {
  let now = 1_000;
  const timeline = new Timeline({ clock: () => now, ...(limit ? { limit } : {}) });
  return {
    timeline,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('Timeline', () => {
  it('records each action with its start offset, duration and error', () => {
    const { timeline, advance } = fakeTimeline();
    advance(2);
    const add = timeline.start('redis', 'EVAL add mail:p:1');
    advance(3);
    add.finish();
    const digest = timeline.start('redis', 'EVAL digest mail:p:1');
    advance(1.5);
    const failure = new Error('READONLY');
    digest.finish(failure);
    digest.finish(); // a second finish changes nothing
    expect(timeline.actions).toEqual([
      { category: 'redis', detail: 'EVAL add mail:p:1', start: 2, duration: 3 },
      {
        category: 'redis',
        detail: 'EVAL digest mail:p:1',
        start: 5,
        duration: 1.5,
        error: failure,
      },
    ]);
  });

  it('shows concurrent actions as overlapping intervals and nesting by parent index', () => {
    const { timeline, advance } = fakeTimeline();
    const outer = timeline.start('backend', 'DIGEST k');
    const a = timeline.start('sql', 'SELECT a', outer.index);
    const b = timeline.start('sql', 'SELECT b', outer.index);
    advance(4);
    b.finish();
    advance(1);
    a.finish();
    outer.finish();
    const [o, x, y] = timeline.actions;
    expect(o).toMatchObject({ start: 0, duration: 5 });
    expect(o?.parent).toBeUndefined();
    expect(x).toMatchObject({ start: 0, duration: 5, parent: 0 });
    expect(y).toMatchObject({ start: 0, duration: 4, parent: 0 });
    expect(timeline.format().split('\n')).toEqual([
      '#0 +0.00 ms    5.00 ms backend DIGEST k',
      '#1 +0.00 ms    5.00 ms   sql SELECT a',
      '#2 +0.00 ms    4.00 ms   sql SELECT b',
      '3 actions in 14.00 ms: backend 1 (5.00 ms), sql 2 (9.00 ms)',
    ]);
  });

  it('summarises: N actions in X ms, per category, with failures', () => {
    const { timeline, advance } = fakeTimeline();
    expect(timeline.summary()).toMatchObject({
      count: 0,
      duration: 0,
      text: '0 actions in 0.00 ms',
    });
    timeline.start('redis', 'GET a').finish();
    const b = timeline.start('redis', 'GET b');
    advance(2);
    b.finish(new Error('timeout'));
    const c = timeline.start('deliver', 'k');
    advance(10);
    const summary = timeline.summary();
    expect(summary).toMatchObject({
      count: 3,
      failed: 1,
      duration: 2,
      categories: { redis: { count: 2, duration: 2 }, deliver: { count: 1, duration: 0 } },
    });
    expect(summary.text).toBe(
      '3 actions in 2.00 ms: redis 2 (2.00 ms), deliver 1 (0.00 ms); 1 failed',
    );
    expect(timeline.format()).toContain('running deliver k');
    expect(timeline.format()).toContain('redis GET b ✗ Error: timeout');
    c.finish();
  });

  it('keeps at most `limit` actions and counts the rest', () => {
    const { timeline } = fakeTimeline(2);
    for (let i = 0; i < 5; i++) timeline.start('x', `#${i}`).finish();
    expect(timeline.actions.map((a) => a.detail)).toEqual(['#0', '#1']);
    expect(timeline.dropped).toBe(3);
    expect(timeline.summary().text).toContain('3 more not kept');
  });

  it('returns copies: callers cannot change what was recorded', () => {
    const { timeline } = fakeTimeline();
    timeline.start('x', 'y').finish();
    const [first] = timeline.actions as unknown as { detail: string }[];
    if (first) first.detail = 'changed';
    expect(timeline.actions[0]?.detail).toBe('y');
  });
});

describe('attachTimeline / timelineOf', () => {
  it('links an error to its timeline without changing the error', () => {
    const timeline = new Timeline();
    const error = Object.freeze(new Error('boom'));
    expect(attachTimeline(error, timeline)).toBe(error);
    expect(timelineOf(error)).toBe(timeline);
    expect(Object.keys(error)).toEqual([]);
    expect(timelineOf(new Error('other'))).toBeUndefined();
  });

  it('finds the timeline through `cause`', () => {
    const timeline = new Timeline();
    const inner = attachTimeline(new Error('inner'), timeline);
    const outer = new Error('outer', { cause: new Error('middle', { cause: inner }) });
    expect(timelineOf(outer)).toBe(timeline);
  });

  it('ignores primitives', () => {
    expect(attachTimeline('text', new Timeline())).toBe('text');
    expect(timelineOf('text')).toBeUndefined();
    expect(timelineOf(undefined)).toBeUndefined();
  });
});
