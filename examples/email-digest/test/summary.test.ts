import type { TimelineRecord } from '@digests/core';
import { describe, expect, it } from 'vitest';
import type { AlertEvent, Level } from '../src/events.js';
import { formatSpan, summarize } from '../src/summary.js';

const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);

function record(
  id: string,
  issueId: string,
  offsetMs: number,
  level: Level = 'error',
): TimelineRecord<AlertEvent> {
  const event: AlertEvent = {
    id,
    projectId: 1,
    issueId,
    title: `title of ${issueId}`,
    culprit: 'x.ts in y',
    level,
    message: 'm',
    timestamp: T0 + offsetMs,
  };
  return { key: id, value: event, timestamp: event.timestamp };
}

describe('summarize', () => {
  it('groups by issue and orders by event count, most first', () => {
    const summary = summarize([
      record('e1', 'A', 0),
      record('e2', 'B', 1000),
      record('e3', 'B', 2000),
      record('e4', 'C', 3000),
      record('e5', 'B', 4000),
      record('e6', 'C', 5000),
    ]);
    expect(summary.events).toBe(6);
    expect(summary.issues.map(({ issueId, count }) => [issueId, count])).toEqual([
      ['B', 3],
      ['C', 2],
      ['A', 1],
    ]);
  });

  it('reports first/last seen per issue and the digest span, whatever the record order', () => {
    // Digests hand records newest first.
    const summary = summarize([
      record('e3', 'A', 90_000),
      record('e2', 'B', 60_000),
      record('e1', 'A', 5_000),
    ]);
    const a = summary.issues[0]!;
    expect(a).toMatchObject({
      issueId: 'A',
      count: 2,
      firstSeen: T0 + 5_000,
      lastSeen: T0 + 90_000,
    });
    expect(summary.start).toBe(T0 + 5_000);
    expect(summary.end).toBe(T0 + 90_000);
    expect(summary.spanMs).toBe(85_000);
  });

  it('breaks count ties by most recently seen, then by issue id', () => {
    const summary = summarize([
      record('e1', 'Z', 1000),
      record('e2', 'Y', 5000),
      record('e3', 'X', 1000),
    ]);
    expect(summary.issues.map(({ issueId }) => issueId)).toEqual(['Y', 'X', 'Z']);
  });

  it('takes the most severe level of an issue and counts events per level', () => {
    const summary = summarize([
      record('e1', 'A', 0, 'warning'),
      record('e2', 'A', 1, 'fatal'),
      record('e3', 'A', 2, 'info'),
    ]);
    expect(summary.issues[0]!.level).toBe('fatal');
    expect(summary.levels).toEqual({ fatal: 1, error: 0, warning: 1, info: 1 });
  });

  it('summarises an empty digest as zeros', () => {
    expect(summarize([])).toMatchObject({ events: 0, issues: [], start: 0, end: 0, spanMs: 0 });
  });
});

describe('formatSpan', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatSpan(45_000)).toBe('45s');
    expect(formatSpan(843_000)).toBe('14m 03s');
    expect(formatSpan(7_500_000)).toBe('2h 05m');
  });
});
