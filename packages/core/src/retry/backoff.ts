import { ConfigurationError } from '../errors.js';

/**
 * How a `RetryingBackend` waits between attempts: one delay (ms) per retry;
 * `repeatLast` repeats the last delay for ever (infinite mode), otherwise the
 * backend gives up after the last one (limited mode).
 *
 * @example
 * ```ts
 * const policy: BackoffPolicy = { delays: [100, 1_000, 10_000], repeatLast: false };
 * ```
 */
export interface BackoffPolicy {
  readonly delays: readonly number[];
  readonly repeatLast: boolean;
}

/** The delays Socorro's crash storage retries with, in ms: 10 s … 5 min. */
export const DEFAULT_BACKOFF_DELAYS: readonly number[] = Object.freeze([
  10_000, 30_000, 60_000, 120_000, 300_000,
]);

/**
 * Limited backoff: one retry per delay, then the last error is thrown.
 *
 * @example
 * ```ts
 * new RetryingBackend({ backend, ...limitedBackoff([100, 500, 2_000]) }); // 4 attempts in all
 * ```
 */
export function limitedBackoff(delays: readonly number[] = DEFAULT_BACKOFF_DELAYS): BackoffPolicy {
  return { delays: checkDelays(delays, false), repeatLast: false };
}

/**
 * Infinite backoff: the delays in order, then the last one for ever (until
 * the `RetryingBackend`'s signal aborts).
 *
 * @example
 * ```ts
 * new RetryingBackend({ backend, ...infiniteBackoff([1_000, 5_000, 30_000]), signal });
 * ```
 */
export function infiniteBackoff(delays: readonly number[] = DEFAULT_BACKOFF_DELAYS): BackoffPolicy {
  return { delays: checkDelays(delays, true), repeatLast: true };
}

/**
 * `count` delays growing by `factor` from `initial`, each capped at `maximum`.
 *
 * @example
 * ```ts
 * exponentialDelays({ initial: 100, factor: 2, count: 5, maximum: 1_000 }); // [100, 200, 400, 800, 1000]
 * ```
 */
export function exponentialDelays(options: {
  readonly initial: number;
  readonly count: number;
  readonly factor?: number;
  readonly maximum?: number;
}): number[] {
  const { initial, count, factor = 2, maximum = Number.POSITIVE_INFINITY } = options;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new ConfigurationError(`count must be an integer ≥ 1, got ${String(count)}`);
  }
  if (typeof factor !== 'number' || !(factor >= 1)) {
    throw new ConfigurationError(`factor must be a number ≥ 1, got ${String(factor)}`);
  }
  const delays = Array.from({ length: count }, (_, i) => Math.min(initial * factor ** i, maximum));
  return checkDelays(delays, false);
}

/**
 * Validates a delay list; throws `ConfigurationError` naming the bad entry.
 *
 * @example
 * ```ts
 * checkDelays([100, -1], false); // throws: delays[1] must be a finite number ≥ 0
 * ```
 */
export function checkDelays(delays: unknown, repeatLast: boolean, name = 'delays'): number[] {
  if (!Array.isArray(delays)) throw new ConfigurationError(`${name} must be an array of numbers`);
  delays.forEach((delay, i) => {
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
      throw new ConfigurationError(
        `${name}[${i}] must be a finite number ≥ 0, got ${String(delay)}`,
      );
    }
  });
  if (repeatLast && delays.length === 0) {
    throw new ConfigurationError(`${name} must not be empty when repeatLast is set`);
  }
  return [...delays];
}
