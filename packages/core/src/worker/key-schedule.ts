import type { AddOptions, DigestOptions } from '../backend.js';
import { nextOccurrence } from './calendar-window.js';
import type { KeyOptions } from './key-options.js';

/**
 * With `holdFirst: false` an add keeps the plain rule for an absent key
 * (ready at once) but must not move a waiting key off its window: no
 * increment, and a ceiling far beyond any window, so `min(S + 0, L + this)`
 * is S.
 */
const NO_CEILING = 100 * 365 * 86_400_000;

/**
 * The `add` options the worker passes for a key: its delay overrides, or,
 * with a calendar window, `dueAt` at the window's next occurrence after
 * `now` (so a quiet key's first event waits for the window, and a waiting
 * key keeps `min(score, dueAt)`: the occurrence its last digest set).
 *
 * @example
 * ```ts
 * await backend.add(key, record, { ...addOptionsFor(keyOptions, clock()), ...callerOptions });
 * ```
 */
export function addOptionsFor(keyOptions: KeyOptions, now: number): AddOptions {
  const { window } = keyOptions;
  if (window === undefined) {
    return defined({
      incrementDelay: keyOptions.incrementDelay,
      maximumDelay: keyOptions.maximumDelay,
    });
  }
  if (window.holdFirst === false) return { incrementDelay: 0, maximumDelay: NO_CEILING };
  return { dueAt: nextOccurrence(window, now) };
}

/**
 * What the worker's `add` passes the backend: the caller's options over the
 * key's. A key with no delays and no window adds nothing, so the caller's
 * options pass as they are (no object per add, no clock reading).
 *
 * @example
 * ```ts
 * await backend.add(key, record, addOptionsWith(keyOptions, callerOptions, clock));
 * ```
 */
export function addOptionsWith(
  keyOptions: KeyOptions,
  options: AddOptions | undefined,
  clock: () => number,
): AddOptions | undefined {
  if (
    keyOptions.window === undefined &&
    keyOptions.incrementDelay === undefined &&
    keyOptions.maximumDelay === undefined
  ) {
    return options;
  }
  return { ...addOptionsFor(keyOptions, clock()), ...options };
}

/**
 * The `digest` options the worker passes for a key: its `minimumDelay`, or,
 * with a calendar window, the time from `now` to the window's next
 * occurrence, so the key waits for exactly that occurrence; plus `limit`.
 *
 * @example
 * ```ts
 * await backend.digest(key, fn, digestOptionsFor(keyOptions, clock(), 1_000));
 * ```
 */
export function digestOptionsFor(
  keyOptions: KeyOptions,
  now: number,
  limit: number | undefined,
): DigestOptions {
  const { window } = keyOptions;
  const minimumDelay =
    window === undefined ? keyOptions.minimumDelay : Math.max(0, nextOccurrence(window, now) - now);
  return defined({ minimumDelay, limit });
}

/** Drops the `undefined` entries, so the backend applies its own value. */
function defined<T extends Record<string, number | undefined>>(values: T): Partial<T> {
  const kept: Partial<T> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) (kept as Record<string, number>)[name] = value;
  }
  return kept;
}
