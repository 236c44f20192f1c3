import { Cron } from 'croner';
import { ConfigurationError } from '../errors.js';

/**
 * A delivery window fixed to local calendar time: a key with a window is
 * delivered at the next occurrence of `cron` in `timeZone` (an IANA zone
 * the platform knows) after its last digest, instead of after the backoff
 * delays. Five fields (minute hour day-of-month month day-of-week), or six
 * with seconds first.
 *
 * `holdFirst` (default `true`): the first event of a quiet key waits for
 * the window too. With `false` it is delivered at once, and what follows it
 * waits for the window.
 *
 * @example
 * ```ts
 * const weekdayMornings: CalendarWindow = { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' };
 * ```
 */
export interface CalendarWindow {
  readonly cron: string;
  readonly timeZone: string;
  readonly holdFirst?: boolean;
}

const FIELDS = new Set(['cron', 'timeZone', 'holdFirst']);

/**
 * Checks a window read from a config and returns a frozen copy; anything
 * wrong is a {@link ConfigurationError} naming `path` (an unknown field, a
 * cron expression the parser rejects or that never occurs, a time zone the
 * platform does not know).
 *
 * @example
 * ```ts
 * const window = checkCalendarWindow(json.window, 'keys["mail:p:1"].window');
 * ```
 */
export function checkCalendarWindow(value: unknown, path: string): CalendarWindow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(
      `${path} must be an object like { "cron": "0 9 * * 1-5", "timeZone": "Europe/Berlin" }`,
    );
  }
  const fields = value as Record<string, unknown>;
  for (const field of Object.keys(fields)) {
    if (!FIELDS.has(field)) {
      throw new ConfigurationError(
        `${path}.${field} is not a window field (cron, timeZone, holdFirst)`,
      );
    }
  }
  const { cron, timeZone, holdFirst } = fields;
  if (typeof cron !== 'string' || cron.trim() === '') {
    throw new ConfigurationError(`${path}.cron must be a cron expression such as "0 9 * * 1-5"`);
  }
  if (typeof timeZone !== 'string' || !knownTimeZone(timeZone)) {
    throw new ConfigurationError(
      `${path}.timeZone must be an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(timeZone)}`,
    );
  }
  if (holdFirst !== undefined && typeof holdFirst !== 'boolean') {
    throw new ConfigurationError(`${path}.holdFirst must be true or false`);
  }
  const window: CalendarWindow = Object.freeze({
    cron,
    timeZone,
    ...(holdFirst === undefined ? {} : { holdFirst }),
  });
  let pattern: Cron;
  try {
    pattern = patternOf(window);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigurationError(`${path}.cron ${JSON.stringify(cron)} is invalid: ${reason}`, {
      cause,
    });
  }
  if (pattern.nextRun(new Date(0)) === null) {
    throw new ConfigurationError(`${path}.cron ${JSON.stringify(cron)} never occurs`);
  }
  return window;
}

/**
 * The first occurrence of `window` strictly after `after` (ms since the
 * epoch). Across a daylight-saving change the parser's rules apply: a local
 * time skipped in spring (02:30 on the day clocks go 02:00 → 03:00) fires
 * at the first valid instant after the gap, and a local time repeated in
 * autumn fires once.
 *
 * @example
 * ```ts
 * // Friday 2025-03-14 10:00 UTC (11:00 in Berlin) → Monday 09:00 Berlin = 08:00 UTC
 * nextOccurrence({ cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' }, Date.UTC(2025, 2, 14, 10));
 * // → Date.UTC(2025, 2, 17, 8)
 * ```
 */
export function nextOccurrence(window: CalendarWindow, after: number): number {
  if (!Number.isFinite(after)) {
    throw new ConfigurationError(`nextOccurrence needs a finite time, got ${String(after)}`);
  }
  let next: Date | null;
  try {
    next = patternOf(window).nextRun(new Date(after));
  } catch (cause) {
    // A window that never went through checkCalendarWindow (a bad zone or cron).
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigurationError(
      `the window ${window.cron} (${window.timeZone}) is invalid: ${reason}`,
      { cause },
    );
  }
  if (next === null) {
    throw new ConfigurationError(
      `the window ${window.cron} (${window.timeZone}) never occurs again`,
    );
  }
  return next.getTime();
}

/** Parsed patterns by window, so a worker does not re-parse on every add. */
const patterns = new Map<string, Cron>();
const MAX_PATTERNS = 1_000;

function patternOf(window: CalendarWindow): Cron {
  const id = `${window.timeZone}\u0000${window.cron}`;
  let pattern = patterns.get(id);
  if (pattern === undefined) {
    // paused: a pattern only computes times; it never schedules a callback.
    pattern = new Cron(window.cron, {
      timezone: window.timeZone,
      paused: true,
      mode: '5-or-6-parts',
    });
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    patterns.set(id, pattern);
  }
  return pattern;
}

function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
