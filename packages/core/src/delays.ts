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
  /**
   * `true` when the add made the key ready to deliver at once: it was absent
   * (and not held for a later `dueAt`), or it reached `flushThreshold`.
   */
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
  return scheduleAfterAdd({ before, timestamp, lastProcessed, incrementDelay, maximumDelay });
}

/** Everything the schedule rule of an add looks at. */
export interface AddScheduleInput {
  readonly before: ScheduleBefore;
  /** The added record's timestamp. */
  readonly timestamp: number;
  /** L, when known. */
  readonly lastProcessed: number | undefined;
  readonly incrementDelay: number;
  readonly maximumDelay: number;
  /** A fixed due time that replaces the backoff rule. */
  readonly dueAt?: number;
  /** Ready now once a waiting key holds this many records. */
  readonly flushThreshold?: number;
  /** Records the key holds after the add (timeline + snapshot); needed with `flushThreshold`. */
  readonly size?: number;
  /** The step's clock reading; needed with `dueAt` or `flushThreshold`. */
  readonly now?: number;
}

/**
 * The whole schedule rule of SPEC "add", `dueAt` and `flushThreshold`
 * included, as one pure function:
 * - ready stays ready with its score;
 * - with `dueAt`: absent becomes waiting at `dueAt`, or ready (score
 *   `dueAt`, `first`) when `dueAt` ≤ now; waiting S becomes `min(S, dueAt)`;
 * - without: absent becomes ready at `timestamp` (`first`); waiting S
 *   becomes `min(S, timestamp)` when L is unknown, else
 *   `min(S + incrementDelay, L + maximumDelay)`;
 * - then, if the key is waiting and holds at least `flushThreshold` records,
 *   it becomes ready with score now (`first`).
 *
 * @example
 * ```ts
 * scheduleAfterAdd({ before: { state: 'absent' }, timestamp: 5, lastProcessed: undefined,
 *   incrementDelay: 0, maximumDelay: 0, dueAt: 9_000, now: 1_000 });
 * // → { state: 'waiting', score: 9000, first: false }
 * ```
 */
export function scheduleAfterAdd(input: AddScheduleInput): ScheduleAfter {
  const after = beforeThreshold(input);
  const { flushThreshold, size, now } = input;
  if (
    after.state === 'waiting' &&
    flushThreshold !== undefined &&
    size !== undefined &&
    now !== undefined &&
    size >= flushThreshold
  ) {
    return { state: 'ready', score: now, first: true };
  }
  return after;
}

function beforeThreshold(input: AddScheduleInput): ScheduleAfter {
  const { before, timestamp, lastProcessed, incrementDelay, maximumDelay, dueAt, now } = input;
  if (dueAt !== undefined) {
    switch (before.state) {
      case 'ready':
        return { state: 'ready', score: before.score, first: false };
      case 'absent':
        return now !== undefined && dueAt <= now
          ? { state: 'ready', score: dueAt, first: true }
          : { state: 'waiting', score: dueAt, first: false };
      case 'waiting':
        return { state: 'waiting', score: Math.min(before.score, dueAt), first: false };
    }
  }
  return backoff(before, timestamp, lastProcessed, incrementDelay, maximumDelay);
}

function backoff(
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
