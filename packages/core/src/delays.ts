/**
 * The schedule arithmetic of SPEC "add", as one pure function. Redis runs the
 * same rules inside its Lua script; every other backend calls this.
 *
 * @module
 */

/** Where a key stands before an add. */
export type ScheduleBefore =
  | { readonly state: 'absent' }
  | { readonly state: 'ready'; readonly score: number }
  | { readonly state: 'waiting'; readonly score: number };

/** Where the key stands after the add, and what `add` resolves. */
export interface ScheduleAfter {
  readonly state: 'ready' | 'waiting';
  readonly score: number;
  /** `true` only when the key was absent: the caller may deliver at once. */
  readonly first: boolean;
}

/**
 * The schedule after adding a record with timestamp `timestamp`:
 * - ready stays ready with its score (`first: false`);
 * - absent becomes ready with score `timestamp` (`first: true`);
 * - waiting with score S becomes waiting with
 *   `min(S, timestamp)` when last-processed is unknown, else
 *   `min(S + incrementDelay, lastProcessed + maximumDelay)`.
 *
 * @example
 * ```ts
 * // waiting at 1000, last processed at 0: min(1000 + 300, 0 + 1200) = 1200
 * nextSchedule({ state: 'waiting', score: 1000 }, 5000, 0, 300, 1200);
 * // → { state: 'waiting', score: 1200, first: false }
 * ```
 */
export function nextSchedule(
  before: ScheduleBefore,
  timestamp: number,
  lastProcessed: number | undefined,
  incrementDelay: number,
  maximumDelay: number,
): ScheduleAfter {
  switch (before.state) {
    case 'ready':
      return { state: 'ready', score: before.score, first: false };
    case 'absent':
      return { state: 'ready', score: timestamp, first: true };
    case 'waiting': {
      const score =
        lastProcessed === undefined
          ? Math.min(before.score, timestamp)
          : Math.min(before.score + incrementDelay, lastProcessed + maximumDelay);
      return { state: 'waiting', score, first: false };
    }
  }
}
