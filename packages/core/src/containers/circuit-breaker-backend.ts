import { type AddEntry, checkAddMany, hasAddMany } from '../add-many.js';
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
import { BackendUnavailableError, ConfigurationError } from '../errors.js';
import type { PeekOptions, PeekPage, PeekSource } from '../peek.js';
import { isTransient, type TransientPredicate } from '../retry/transient.js';
import { type BackendStats, type StatsSource, statsOf } from '../stats.js';
import { CloseGate } from './close-gate.js';
import { peekThrough } from './merged-peek.js';

/** Options of {@link CircuitBreakerBackend}. */
export interface CircuitBreakerBackendOptions<V> {
  readonly backend: Backend<V>;
  /** How long (ms, real time) to fail fast after a transient failure. */
  readonly cooldown: number;
  /** Which failures open the breaker. Default: core's `isTransient`. */
  readonly isTransient?: TransientPredicate;
  /** Real time in ms, for the cooldown (not the backends' clock). Default `performance.now`. */
  readonly now?: () => number;
}

/**
 * After a transient failure, fails every call at once with
 * `BackendUnavailableError` for `cooldown` ms, then lets calls through
 * again. A client that waits for a reconnect on every command (ioredis does)
 * would otherwise make each write of a `FallbackBackend` pay that wait
 * during an outage; behind a breaker the outage costs one wait per
 * cooldown. A failure of the caller's own digest function does not open it.
 *
 * @example
 * ```ts
 * const primary = new CircuitBreakerBackend({ backend: redis, cooldown: 5_000 });
 * const backend = new FallbackBackend({ primary, secondary: sqlite });
 * ```
 */
export class CircuitBreakerBackend<V = unknown> implements Backend<V>, StatsSource, PeekSource<V> {
  readonly #backend: Backend<V>;
  readonly #cooldown: number;
  readonly #transient: TransientPredicate;
  readonly #now: () => number;
  readonly #gate = new CloseGate('CircuitBreakerBackend');
  #openUntil = Number.NEGATIVE_INFINITY;

  /**
   * Present when the wrapped backend ingests batches natively: the batch
   * goes to it whole, through the breaker. Absent otherwise, so core's
   * `addMany` adds entry by entry.
   */
  readonly addMany?: (entries: readonly AddEntry<V>[], options?: AddOptions) => Promise<boolean[]>;

  constructor(options: CircuitBreakerBackendOptions<V>) {
    const { cooldown } = options;
    if (typeof cooldown !== 'number' || !Number.isFinite(cooldown) || cooldown < 0) {
      throw new ConfigurationError(`cooldown must be a finite number ≥ 0, got ${String(cooldown)}`);
    }
    this.#backend = options.backend;
    this.#cooldown = cooldown;
    this.#transient = options.isTransient ?? isTransient;
    this.#now = options.now ?? (() => performance.now());
    const inner = this.#backend;
    if (hasAddMany(inner)) {
      this.addMany = (entries, addOptions) => {
        // Bad input is reported as such, as core's addMany did entry by entry.
        checkAddMany(entries, addOptions);
        return this.#guard(() => inner.addMany(entries, addOptions));
      };
    }
  }

  /** The wrapped backend. */
  get backend(): Backend<V> {
    return this.#backend;
  }

  /** Whether calls currently fail fast. */
  get open(): boolean {
    return this.#now() < this.#openUntil;
  }

  add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    return this.#guard(() => this.#backend.add(key, record, options));
  }

  digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    const thrown = new Set<unknown>();
    const watched: DigestFunction<V, R> = async (records) => {
      try {
        return await fn(records);
      } catch (error) {
        thrown.add(error);
        throw error;
      }
    };
    return this.#guard(
      () => this.#backend.digest(key, typeof fn === 'function' ? watched : fn, options),
      (error) => !thrown.has(error),
    );
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    this.#gate.check();
    const iterable = this.#backend.schedule(deadline, options);
    const self = this;
    return (async function* guarded() {
      self.#check();
      try {
        yield* iterable;
      } catch (error) {
        self.#trip(error);
        throw error;
      }
    })();
  }

  maintenance(deadline: number): Promise<number> {
    return this.#guard(() => this.#backend.maintenance(deadline));
  }

  flush(key: string): Promise<void> {
    return this.#guard(() => this.#backend.flush(key));
  }

  delete(key: string): Promise<void> {
    return this.#guard(() => this.#backend.delete(key));
  }

  inspect(key: string): Promise<TimelineInfo> {
    return this.#guard(() => this.#backend.inspect(key));
  }

  remove(key: string, recordKeys: readonly string[]): Promise<number> {
    return this.#guard(() => this.#backend.remove(key, recordKeys));
  }

  list(options?: ListOptions): Promise<ListPage> {
    return this.#guard(() => this.#backend.list(options));
  }

  quarantined(key: string): Promise<QuarantinedRecord[]> {
    return this.#guard(() => this.#backend.quarantined(key));
  }

  deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    return this.#guard(() => this.#backend.deleteQuarantined(key, recordKeys));
  }

  peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    return this.#guard(() => peekThrough(this.#backend, key, options));
  }

  /** The inner backend's counts, through the breaker. */
  stats(): Promise<BackendStats> {
    return this.#guard(() => statsOf(this.#backend));
  }

  /** Closes the wrapped backend; every later call rejects `BackendClosedError`. */
  close(): Promise<void> {
    return this.#gate.close(() => this.#backend.close());
  }

  async #guard<T>(call: () => Promise<T>, counts: (error: unknown) => boolean = () => true) {
    this.#gate.check();
    this.#check();
    try {
      return await call();
    } catch (error) {
      if (counts(error)) this.#trip(error);
      throw error;
    }
  }

  #check(): void {
    if (this.open) {
      throw new BackendUnavailableError(
        'the backend failed recently; calls fail fast until its cooldown ends',
      );
    }
  }

  #trip(error: unknown): void {
    if (this.#cooldown > 0 && this.#transient(error))
      this.#openUntil = this.#now() + this.#cooldown;
  }
}
