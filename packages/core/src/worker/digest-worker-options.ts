import type { MeterProvider } from '@opentelemetry/api';
import type { Backend } from '../backend.js';
import { ConfigurationError } from '../errors.js';
import type { Clock } from '../options.js';
import type { DeliverFunction, DeliveryMode } from './delivery.js';
import type { KeyOptionsSource } from './key-options.js';
import { silentWorkerLogger, type WorkerLogger } from './worker-logger.js';

/**
 * The worker's default `digestLimit`: records per digest. Chosen from
 * measurements (see the worker section of `@digests/core`'s README) so one
 * digest keeps a Redis script well under 50 ms and SQLite's write
 * transaction far below its `busyTimeout`.
 *
 * @example
 * ```ts
 * new DigestWorker({ backend, deliver, digestLimit: DEFAULT_DIGEST_LIMIT * 2 });
 * ```
 */
export const DEFAULT_DIGEST_LIMIT = 500;

/**
 * How a {@link DigestWorker} runs.
 *
 * @example
 * ```ts
 * const options: DigestWorkerOptions<Alert> = {
 *   backend,
 *   deliver: async ({ key, records, digestId }) => mailer.send(key, records, digestId),
 *   interval: 10_000,
 *   concurrency: 8,
 * };
 * ```
 */
export interface DigestWorkerOptions<V> {
  readonly backend: Backend<V>;
  readonly deliver: DeliverFunction<V>;
  /** Milliseconds between passes of `start()`. Default 10 000. */
  readonly interval?: number;
  /** Digests running at once per pass. Default 4. */
  readonly concurrency?: number;
  /**
   * Each pass first runs `maintenance(now - maintenanceAge)`: ready keys older
   * than this (a failed digest, a worker that died) go back to the schedule.
   * It is the retry delay of a failed delivery. Default 300 000.
   */
  readonly maintenanceAge?: number;
  /**
   * How many keys one claim of `schedule` takes. Default 1: every key the
   * worker claims, it digests, so a `stop()` between keys leaves none
   * claimed and unreached (such a key would sit `ready` until maintenance).
   * A larger chunk saves round trips per pass, but a stop may leave up to
   * `chunkSize − 1` claimed keys for maintenance.
   */
  readonly chunkSize?: number;
  /**
   * At most this many records per digest (`DigestOptions.limit`); when more
   * remain, the key stays ready and the worker digests it again at once.
   * Default {@link DEFAULT_DIGEST_LIMIT}; `Infinity` turns the bound off.
   */
  readonly digestLimit?: number;
  /**
   * Where the worker's metrics go (see `@digests/core`'s metrics table).
   * Default: the global `MeterProvider` of `@opentelemetry/api`, a no-op
   * until an SDK registers one.
   */
  readonly meterProvider?: MeterProvider;
  /** The source of "now"; give the backend the same one. Default `Date.now`. */
  readonly clock?: Clock;
  readonly logger?: WorkerLogger;
  /** Per-key switches and delay overrides, e.g. `digestKeyOptions(optionsStore)`. */
  readonly options?: KeyOptionsSource;
  /** Default `at-least-once`. */
  readonly mode?: DeliveryMode;
  /** Whether `stop()` closes the backend. Default `false`: whoever built it closes it. */
  readonly closeBackend?: boolean;
}

/**
 * {@link DigestWorkerOptions} with defaults applied and values checked.
 *
 * @example
 * ```ts
 * const { interval, concurrency } = resolveWorkerOptions({ backend, deliver });
 * ```
 */
export interface ResolvedWorkerOptions<V> {
  readonly backend: Backend<V>;
  readonly deliver: DeliverFunction<V>;
  readonly interval: number;
  readonly concurrency: number;
  readonly maintenanceAge: number;
  readonly chunkSize: number;
  readonly digestLimit: number | undefined;
  readonly meterProvider: MeterProvider | undefined;
  readonly clock: Clock;
  readonly logger: WorkerLogger;
  readonly options: KeyOptionsSource | undefined;
  readonly mode: DeliveryMode;
  readonly closeBackend: boolean;
}

/**
 * Applies defaults; throws {@link ConfigurationError} naming a bad option.
 *
 * @example
 * ```ts
 * resolveWorkerOptions({ backend, deliver, concurrency: 0 }); // throws: concurrency must be…
 * ```
 */
export function resolveWorkerOptions<V>(options: DigestWorkerOptions<V>): ResolvedWorkerOptions<V> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('worker options must be an object');
  }
  const { backend, deliver } = options;
  if (typeof backend?.digest !== 'function' || typeof backend.schedule !== 'function') {
    throw new ConfigurationError('worker needs a backend');
  }
  if (typeof deliver !== 'function')
    throw new ConfigurationError('worker needs a deliver function');
  const interval = options.interval ?? 10_000;
  if (!(Number.isFinite(interval) && interval > 0)) {
    throw new ConfigurationError(`interval must be a positive number, got ${String(interval)}`);
  }
  const concurrency = options.concurrency ?? 4;
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
    throw new ConfigurationError(`concurrency must be an integer ≥ 1, got ${String(concurrency)}`);
  }
  const maintenanceAge = options.maintenanceAge ?? 300_000;
  if (!(Number.isFinite(maintenanceAge) && maintenanceAge >= 0)) {
    throw new ConfigurationError(
      `maintenanceAge must be a finite number ≥ 0, got ${String(maintenanceAge)}`,
    );
  }
  const mode = options.mode ?? 'at-least-once';
  if (mode !== 'at-least-once' && mode !== 'at-most-once') {
    throw new ConfigurationError(`mode must be at-least-once or at-most-once, got ${String(mode)}`);
  }
  const chunkSize = options.chunkSize ?? 1;
  if (!(Number.isSafeInteger(chunkSize) && chunkSize >= 1)) {
    throw new ConfigurationError(`chunkSize must be an integer ≥ 1, got ${String(chunkSize)}`);
  }
  const digestLimit = options.digestLimit ?? DEFAULT_DIGEST_LIMIT;
  if (
    !(Number.isSafeInteger(digestLimit) && digestLimit >= 1) &&
    digestLimit !== Number.POSITIVE_INFINITY
  ) {
    throw new ConfigurationError(
      `digestLimit must be an integer ≥ 1 or Infinity, got ${String(digestLimit)}`,
    );
  }
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw new ConfigurationError('clock must be a function');
  if (options.options !== undefined && typeof options.options.forKey !== 'function') {
    throw new ConfigurationError('options must have a forKey() method');
  }
  return {
    backend,
    deliver,
    interval,
    concurrency,
    maintenanceAge,
    chunkSize,
    digestLimit: digestLimit === Number.POSITIVE_INFINITY ? undefined : digestLimit,
    meterProvider: options.meterProvider,
    clock,
    logger: options.logger ?? silentWorkerLogger,
    options: options.options,
    mode,
    closeBackend: options.closeBackend ?? false,
  };
}
