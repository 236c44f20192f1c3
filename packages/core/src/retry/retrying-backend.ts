import type {
  AddOptions,
  Backend,
  DigestFunction,
  DigestOptions,
  ListOptions,
  ListPage,
  QuarantinedRecord,
  ScheduleEntry,
  ScheduleOptions,
  TimelineInfo,
  TimelineRecord,
} from '../backend.js';
import { CloseGate } from '../containers/close-gate.js';
import { type Logger, silentLogger } from '../containers/logger.js';
import { peekThrough } from '../containers/merged-peek.js';
import { ConfigurationError } from '../errors.js';
import { assertDeadline, chunkSize } from '../options.js';
import type { PeekOptions, PeekPage, PeekSource } from '../peek.js';
import { type BackendStats, type StatsSource, statsOf } from '../stats.js';
import { checkDelays } from './backoff.js';
import { type Sleep, sleep } from './sleep.js';
import { isTransient, type TransientPredicate } from './transient.js';

/** Options of {@link RetryingBackend}. */
export interface RetryingBackendOptions<V> {
  /** The backend whose transient failures are retried. */
  readonly backend: Backend<V>;
  /** One wait (ms) before each retry. See `limitedBackoff` / `infiniteBackoff`. */
  readonly delays: readonly number[];
  /** Repeat the last delay for ever (infinite mode). Default `false`: give up after the last. */
  readonly repeatLast?: boolean;
  /** Stops retrying: a wait in progress ends and the last failure is thrown. */
  readonly signal?: AbortSignal;
  /** Which failures are retried. Default: core's `isTransient` (the adapter's verdict). */
  readonly isTransient?: TransientPredicate;
  /** How to wait; tests pass one that does not. Default: a timer. */
  readonly sleep?: Sleep;
  /** Told about every retry. Default: silent. */
  readonly logger?: Logger;
  /** Whether `close()` closes the inner backend (the container owns its tree). Default `true`. */
  readonly closeInner?: boolean;
}

/**
 * Retries an operation that failed transiently (`BackendUnavailableError`,
 * as the adapter decided; or an aggregate of only such failures), waiting
 * `delays[0]`, `delays[1]`, … between attempts. Limited mode gives up after
 * the last delay and throws the last failure; infinite mode (`repeatLast`)
 * repeats the last delay. When `signal` aborts, the wait stops and the last
 * failure is thrown. Anything else — bad input, a lease conflict, the
 * caller's own error, `BackendClosedError` — is thrown at once. After
 * `close()` every call (and a retry loop in its wait) rejects
 * `BackendClosedError`.
 *
 * `digest` retries only the failure to open: once `fn` was called, its
 * failure (or a failed commit) is thrown, so one delivery never calls `fn`
 * twice. `schedule` restarts the iteration after a transient failure; keys it
 * already yielded are ready by then and are not yielded again.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const backend = new RetryingBackend({
 *   backend: new RedisBackend({ url }),
 *   ...infiniteBackoff([100, 1_000, 5_000]),
 *   signal: controller.signal, // abort on shutdown
 * });
 * ```
 */
export class RetryingBackend<V = unknown> implements Backend<V>, StatsSource, PeekSource<V> {
  readonly #backend: Backend<V>;
  readonly #delays: readonly number[];
  readonly #repeatLast: boolean;
  readonly #signal: AbortSignal | undefined;
  readonly #transient: TransientPredicate;
  readonly #sleep: Sleep;
  readonly #logger: Logger;
  readonly #closeInner: boolean;
  readonly #gate = new CloseGate('RetryingBackend');

  constructor(options: RetryingBackendOptions<V>) {
    this.#backend = options.backend;
    this.#repeatLast = options.repeatLast ?? false;
    this.#delays = checkDelays(options.delays, this.#repeatLast);
    this.#signal = options.signal;
    this.#transient = options.isTransient ?? isTransient;
    this.#sleep = options.sleep ?? sleep;
    this.#logger = options.logger ?? silentLogger;
    this.#closeInner = options.closeInner ?? true;
  }

  /** The wrapped backend. */
  get backend(): Backend<V> {
    return this.#backend;
  }

  add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    return this.#retry('add', () => this.#backend.add(key, record, options));
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    this.#gate.check();
    if (typeof fn !== 'function') throw new ConfigurationError('digest needs a function');
    let called = false;
    const once: DigestFunction<V, R> = (records) => {
      called = true;
      return fn(records);
    };
    return this.#retry(
      'digest',
      () => this.#backend.digest(key, once, options),
      () => !called,
    );
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    this.#gate.check();
    assertDeadline(deadline);
    chunkSize(options?.chunkSize);
    return this.#schedule(deadline, options);
  }

  async *#schedule(deadline: number, options?: ScheduleOptions): AsyncGenerator<ScheduleEntry> {
    for (let attempt = 0; ; attempt++) {
      this.#gate.check();
      try {
        for await (const entry of this.#backend.schedule(deadline, options)) yield entry;
        return;
      } catch (error) {
        await this.#backoff('schedule', error, attempt);
      }
    }
  }

  maintenance(deadline: number): Promise<number> {
    return this.#retry('maintenance', () => this.#backend.maintenance(deadline));
  }

  flush(key: string): Promise<void> {
    return this.#retry('flush', () => this.#backend.flush(key));
  }

  delete(key: string): Promise<void> {
    return this.#retry('delete', () => this.#backend.delete(key));
  }

  inspect(key: string): Promise<TimelineInfo> {
    return this.#retry('inspect', () => this.#backend.inspect(key));
  }

  /**
   * Retried like every write: a retry after a lost reply finds the records
   * already gone and counts fewer.
   */
  remove(key: string, recordKeys: readonly string[]): Promise<number> {
    return this.#retry('remove', () => this.#backend.remove(key, recordKeys));
  }

  list(options?: ListOptions): Promise<ListPage> {
    return this.#retry('list', () => this.#backend.list(options));
  }

  quarantined(key: string): Promise<QuarantinedRecord[]> {
    return this.#retry('quarantined', () => this.#backend.quarantined(key));
  }

  deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    return this.#retry('deleteQuarantined', () => this.#backend.deleteQuarantined(key, recordKeys));
  }

  peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    return this.#retry('peek', () => peekThrough(this.#backend, key, options));
  }

  /** The inner backend's counts, retried like every read. */
  stats(): Promise<BackendStats> {
    return this.#retry('stats', () => statsOf(this.#backend));
  }

  /** Every later call rejects `BackendClosedError`, which is never retried. */
  close(): Promise<void> {
    return this.#gate.close(async () => {
      if (this.#closeInner) await this.#backend.close();
    });
  }

  async #retry<T>(
    operation: string,
    attempt: () => Promise<T>,
    retryable: () => boolean = () => true,
  ): Promise<T> {
    for (let retry = 0; ; retry++) {
      // Also between attempts: closing stops a retry loop in its wait.
      this.#gate.check();
      try {
        return await attempt();
      } catch (error) {
        if (!retryable()) throw error;
        await this.#backoff(operation, error, retry);
      }
    }
  }

  /** Waits before retry number `retry` (0-based), or throws `error` when it must not retry. */
  async #backoff(operation: string, error: unknown, retry: number): Promise<void> {
    if (!this.#transient(error) || this.#signal?.aborted) throw error;
    const last = this.#delays.length - 1;
    if (retry > last && !this.#repeatLast) throw error;
    const wait = this.#delays[Math.min(retry, last)];
    if (wait === undefined) throw error;
    this.#logger.warn(`${operation} failed transiently; retrying in ${wait} ms`, {
      retry: retry + 1,
      error,
    });
    try {
      await this.#sleep(wait, this.#signal);
    } catch {
      // Aborted while waiting: the operation's failure is the error that matters.
      throw error;
    }
    if (this.#signal?.aborted) throw error;
  }
}
