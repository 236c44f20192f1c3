/**
 * Turns one digest's records into what Sentry's digest email shows: the
 * project's events grouped by issue, the noisiest issue first, with counts,
 * first/last seen and the time span the digest covers. Pure: no I/O, no clock.
 *
 * @module
 */
import type { TimelineRecord } from '@digests/core';
import { type AlertEvent, LEVELS, type Level } from './events.js';

/**
 * One issue's line in a digest.
 *
 * @example
 * ```ts
 * const line: IssueSummary = summary.issues[0];
 * console.log(`${line.count}× ${line.title}`);
 * ```
 */
export interface IssueSummary {
  readonly issueId: string;
  readonly title: string;
  readonly culprit: string;
  /** The most severe level among the issue's events. */
  readonly level: Level;
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/**
 * A digest, summarised.
 *
 * @example
 * ```ts
 * const summary: DigestSummary = summarize(records);
 * console.log(`${summary.events} events in ${summary.issues.length} issues`);
 * ```
 */
export interface DigestSummary {
  readonly events: number;
  /** Ordered by event count, most first; ties: most recently seen first, then issue id. */
  readonly issues: readonly IssueSummary[];
  /** The earliest and latest event timestamps (0 for an empty digest). */
  readonly start: number;
  readonly end: number;
  /** `end - start`, in milliseconds. */
  readonly spanMs: number;
  /** Events per level, every level present (0 when none). */
  readonly levels: Readonly<Record<Level, number>>;
}

/**
 * Groups records by issue and orders the groups by event count, descending.
 *
 * @example
 * ```ts
 * const summary = summarize(records);
 * summary.issues[0]?.count; // the noisiest issue's event count
 * ```
 */
export function summarize(records: readonly TimelineRecord<AlertEvent>[]): DigestSummary {
  const byIssue = new Map<string, Mutable<IssueSummary>>();
  const levels = Object.fromEntries(LEVELS.map((level) => [level, 0])) as Record<Level, number>;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const { value: event, timestamp } of records) {
    levels[event.level]++;
    start = Math.min(start, timestamp);
    end = Math.max(end, timestamp);
    const line = byIssue.get(event.issueId);
    if (line === undefined) {
      byIssue.set(event.issueId, {
        issueId: event.issueId,
        title: event.title,
        culprit: event.culprit,
        level: event.level,
        count: 1,
        firstSeen: timestamp,
        lastSeen: timestamp,
      });
      continue;
    }
    line.count++;
    line.firstSeen = Math.min(line.firstSeen, timestamp);
    line.lastSeen = Math.max(line.lastSeen, timestamp);
    if (severity(event.level) < severity(line.level)) line.level = event.level;
  }
  const issues = [...byIssue.values()].sort(
    (a, b) =>
      b.count - a.count ||
      b.lastSeen - a.lastSeen ||
      (a.issueId < b.issueId ? -1 : a.issueId > b.issueId ? 1 : 0),
  );
  if (records.length === 0) return { events: 0, issues, start: 0, end: 0, spanMs: 0, levels };
  return { events: records.length, issues, start, end, spanMs: end - start, levels };
}

/**
 * Formats a duration for people: `45s`, `14m 03s`, `2h 05m`.
 *
 * @example
 * ```ts
 * formatSpan(843_000); // '14m 03s'
 * ```
 */
export function formatSpan(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * A UTC wall-clock time, `HH:MM:SS`.
 *
 * @example
 * ```ts
 * formatTime(Date.UTC(2025, 2, 14, 9, 5, 7)); // '09:05:07'
 * ```
 */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function severity(level: Level): number {
  return LEVELS.indexOf(level);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
