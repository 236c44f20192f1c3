import type { Codec } from './codecs/codec.js';
import { JsonCodec } from './codecs/json-codec.js';
import { ConfigurationError } from './errors.js';

/** The source of "now", in milliseconds since the epoch. Tests drive it. */
export type Clock = () => number;

/**
 * Options every backend accepts (SPEC "Options"). Invalid values raise
 * {@link ConfigurationError} at construction.
 *
 * @example
 * ```ts
 * const options: BackendOptions = {
 *   minimumDelay: 5 * 60_000, // after a digest, wait at least 5 minutes
 *   incrementDelay: 30_000,   // each new record pushes delivery back 30 s…
 *   maximumDelay: 30 * 60_000, // …but never more than 30 minutes after the last digest
 *   capacity: 1000,
 * };
 * ```
 */
export interface BackendOptions<V = unknown> {
  /** After a digest, the timeline waits at least this long. Default 300 000. */
  readonly minimumDelay?: number;
  /** Each new record pushes delivery back this much… Default 30 000. */
  readonly incrementDelay?: number;
  /** …but never past last-processed + maximumDelay. Default 1 800 000. */
  readonly maximumDelay?: number;
  /** Keep at most this many newest records (an integer ≥ 1). Default: unbounded. */
  readonly capacity?: number;
  /** Probability (0..1) that an add trims to capacity. Default 1/capacity; needs `capacity`. */
  readonly truncationChance?: number;
  /** Data untouched this long may be discarded; must exceed maximumDelay. Default: never. */
  readonly ttl?: number;
  /** How long a digest holds its timeline before others may take it. Default 30 000. */
  readonly leaseDuration?: number;
  /** How values are encoded. Default {@link JsonCodec}. */
  readonly codec?: Codec<V>;
  /** The source of "now". Default `Date.now`. */
  readonly clock?: Clock;
  /**
   * When an add leaves a waiting key holding at least this many records
   * (timeline + snapshot), the key becomes ready now (an integer ≥ 1).
   * Default: none.
   */
  readonly flushThreshold?: number;
  /**
   * How long one store step may take, in milliseconds, before the call
   * rejects with `BackendUnavailableError` (so a hung store fails over).
   * Default 10 000.
   */
  readonly operationTimeout?: number;
  /**
   * The largest encoded value `add` accepts, in bytes (UTF-8 for text);
   * larger values reject with `InvalidRecordError`, writing nothing.
   * Default: no limit.
   */
  readonly maxValueSize?: number;
}

/** {@link BackendOptions} with every default applied and every value checked. */
export interface ResolvedOptions<V = unknown> {
  readonly minimumDelay: number;
  readonly incrementDelay: number;
  readonly maximumDelay: number;
  readonly capacity: number | undefined;
  readonly truncationChance: number;
  readonly ttl: number | undefined;
  readonly leaseDuration: number;
  readonly codec: Codec<V>;
  readonly clock: Clock;
  readonly flushThreshold: number | undefined;
  readonly operationTimeout: number;
  readonly maxValueSize: number | undefined;
}

/** The defaults of SPEC "Options". */
export const DEFAULT_OPTIONS = Object.freeze({
  minimumDelay: 300_000,
  incrementDelay: 30_000,
  maximumDelay: 1_800_000,
  leaseDuration: 30_000,
  operationTimeout: 10_000,
});

/**
 * Applies defaults and validates; throws {@link ConfigurationError} naming
 * the bad option. Every backend calls this in its constructor.
 *
 * @example
 * ```ts
 * const resolved = resolveOptions({ capacity: 100 });
 * resolved.truncationChance; // 0.01
 * resolveOptions({ ttl: 10 }); // throws: ttl must exceed maximumDelay
 * ```
 */
export function resolveOptions<V = unknown>(options: BackendOptions<V> = {}): ResolvedOptions<V> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('options must be an object');
  }
  const minimumDelay = delay(options.minimumDelay, 'minimumDelay', DEFAULT_OPTIONS.minimumDelay);
  const incrementDelay = delay(
    options.incrementDelay,
    'incrementDelay',
    DEFAULT_OPTIONS.incrementDelay,
  );
  const maximumDelay = delay(options.maximumDelay, 'maximumDelay', DEFAULT_OPTIONS.maximumDelay);

  const { capacity } = options;
  if (capacity !== undefined && !(Number.isSafeInteger(capacity) && capacity >= 1)) {
    throw new ConfigurationError(`capacity must be an integer ≥ 1, got ${String(capacity)}`);
  }
  let truncationChance = options.truncationChance;
  if (truncationChance !== undefined) {
    if (capacity === undefined) {
      throw new ConfigurationError('truncationChance needs capacity: there is nothing to trim to');
    }
    if (typeof truncationChance !== 'number' || !(truncationChance >= 0 && truncationChance <= 1)) {
      throw new ConfigurationError(
        `truncationChance must be between 0 and 1, got ${String(truncationChance)}`,
      );
    }
  } else {
    truncationChance = capacity === undefined ? 0 : 1 / capacity;
  }

  const { ttl } = options;
  if (ttl !== undefined) {
    if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= maximumDelay) {
      throw new ConfigurationError(
        `ttl must be a finite number greater than maximumDelay (${maximumDelay}), got ${String(ttl)}`,
      );
    }
  }
  const leaseDuration = options.leaseDuration ?? DEFAULT_OPTIONS.leaseDuration;
  if (typeof leaseDuration !== 'number' || !Number.isFinite(leaseDuration) || leaseDuration <= 0) {
    throw new ConfigurationError(
      `leaseDuration must be a positive number, got ${String(leaseDuration)}`,
    );
  }

  const codec = options.codec ?? (new JsonCodec() as Codec<V>);
  if (typeof codec?.encode !== 'function' || typeof codec?.decode !== 'function') {
    throw new ConfigurationError('codec must have encode() and decode() methods');
  }
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw new ConfigurationError('clock must be a function');

  const flushThreshold = positiveInteger(options.flushThreshold, 'flushThreshold');
  const maxValueSize = positiveInteger(options.maxValueSize, 'maxValueSize');
  const operationTimeout = options.operationTimeout ?? DEFAULT_OPTIONS.operationTimeout;
  if (
    typeof operationTimeout !== 'number' ||
    !Number.isFinite(operationTimeout) ||
    operationTimeout <= 0
  ) {
    throw new ConfigurationError(
      `operationTimeout must be a positive number of milliseconds, got ${String(operationTimeout)}`,
    );
  }

  return Object.freeze({
    minimumDelay,
    incrementDelay,
    maximumDelay,
    capacity,
    truncationChance,
    ttl,
    leaseDuration,
    codec,
    clock,
    flushThreshold,
    operationTimeout,
    maxValueSize,
  });
}

/**
 * Checks an optional integer option ≥ 1 (`flushThreshold`, `limit`, …).
 *
 * @example
 * ```ts
 * const limit = positiveInteger(options?.limit, 'limit'); // undefined or an integer ≥ 1
 * ```
 */
export function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new ConfigurationError(`${name} must be an integer ≥ 1, got ${String(value)}`);
  }
  return value as number;
}

/**
 * Validates a delay given to one call (`add`'s `incrementDelay`, `digest`'s
 * `minimumDelay`, …), falling back to the backend's value.
 *
 * @example
 * ```ts
 * const minimumDelay = delay(options?.minimumDelay, 'minimumDelay', this.options.minimumDelay);
 * ```
 */
export function delay(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Validates a `schedule`/`maintenance` deadline.
 *
 * @example
 * ```ts
 * assertDeadline(Date.now()); // ok
 * assertDeadline(NaN);        // throws ConfigurationError
 * ```
 */
export function assertDeadline(deadline: unknown): asserts deadline is number {
  if (typeof deadline !== 'number' || Number.isNaN(deadline)) {
    throw new ConfigurationError(`deadline must be a number, got ${String(deadline)}`);
  }
}

/**
 * Validates `schedule`'s `chunkSize` (an integer ≥ 1), defaulting to 1000.
 *
 * @example
 * ```ts
 * const size = chunkSize(options?.chunkSize); // 1000 when not given
 * ```
 */
export function chunkSize(value: unknown, fallback = 1000): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new ConfigurationError(`chunkSize must be an integer ≥ 1, got ${String(value)}`);
  }
  return value as number;
}
