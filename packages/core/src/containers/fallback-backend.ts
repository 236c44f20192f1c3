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
import { BackendUnavailableError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import type { PeekOptions, PeekPage, PeekSource } from '../peek.js';
import { isTransient, type TransientPredicate } from '../retry/transient.js';
import type { BackendStats, StatsSource } from '../stats.js';
import { checkAddInput, checkRecordKeys } from './check-input.js';
import { CircuitBreakerBackend } from './circuit-breaker-backend.js';
import { CloseGate } from './close-gate.js';
import { FallbackMover, type MoveReport } from './fallback-mover.js';
import { type Logger, silentLogger } from './logger.js';
import { MergedReads } from './merged-reads.js';
import { PolyBackendError } from './poly-backend-error.js';
import { settle, throwWriteFailures } from './settle.js';

/** Options of {@link FallbackBackend}. */
export interface FallbackBackendOptions<V> {
  /** Where writes go while it is up. */
  readonly primary: Backend<V>;
  /** Where writes go while the primary fails transiently. */
  readonly secondary: Backend<V>;
  /** Which failures send a write to the secondary. Default: core's `isTransient`. */
  readonly isTransient?: TransientPredicate;
  /** Told about every primary failure the secondary absorbed. Default: silent. */
  readonly logger?: Logger;
  /**
   * After a transient failure of the primary, skip it (writes go straight
   * to the secondary, reads treat it as down) for this many ms of real time,
   * instead of waiting for its client on every call. Default 0: always try it.
   */
  readonly retryPrimaryAfter?: number;
  /** When set, the mover runs every `moveInterval` ms until `close()`. */
  readonly moveInterval?: number;
  /** Records the mover takes out of the secondary per digest (its `limit`). Default 1000. */
  readonly moveBatch?: number;
  /** Whether `close()` closes primary and secondary (the container owns its tree). Default `true`. */
  readonly closeInner?: boolean;
}

/**
 * Writes to the primary and, when it fails transiently, to the secondary
 * (Socorro's `FallbackCrashStorage`: the primary's failure is logged). Both
 * failing throws both causes: a `BackendUnavailableError` whose `cause` is an
 * `AggregateError` of the two when both were transient (so a retry wrapper
 * retries), else a `PolyBackendError`. A failure that is not transient (bad
 * input) is thrown at once: the secondary would reject it too.
 *
 * Reads merge (see `MergedReads`), so records written to the secondary
 * during an outage are delivered; `moveBack()` (or `moveInterval`) returns
 * them to the primary once it is back. `flush` and `maintenance` run on both
 * (skipping one that is down); `delete`, `remove` and `deleteQuarantined`
 * must reach both, since the key may live in both. After `close()` every
 * call rejects `BackendClosedError`, which is not transient: it is never
 * sent to the secondary. With `retryPrimaryAfter`, a primary that failed transiently
 * is skipped for that long (a `CircuitBreakerBackend`), so an outage does
 * not cost every call its client's reconnect wait.
 *
 * @example
 * ```ts
 * const backend = new FallbackBackend({ primary: redis, secondary: sqlite, logger: console, moveInterval: 60_000 });
 * await backend.add('mail:p:1', record); // Redis, or SQLite while Redis is down
 * ```
 */
export class FallbackBackend<V = unknown> implements Backend<V>, StatsSource, PeekSource<V> {
  readonly #primary: Backend<V>;
  readonly #givenPrimary: Backend<V>;
  readonly #secondary: Backend<V>;
  readonly #transient: TransientPredicate;
  readonly #logger: Logger;
  readonly #reads: MergedReads<V>;
  readonly #closeInner: boolean;
  readonly #gate = new CloseGate('FallbackBackend');
  /** Returns the secondary's timelines to the primary; see {@link FallbackMover}. */
  readonly mover: FallbackMover<V>;

  constructor(options: FallbackBackendOptions<V>) {
    this.#givenPrimary = options.primary;
    const rest = options.retryPrimaryAfter ?? 0;
    this.#primary =
      rest > 0
        ? new CircuitBreakerBackend({
            backend: options.primary,
            cooldown: rest,
            ...transientOf(options),
          })
        : options.primary;
    this.#secondary = options.secondary;
    this.#transient = options.isTransient ?? isTransient;
    this.#logger = options.logger ?? silentLogger;
    this.#closeInner = options.closeInner ?? true;
    this.#reads = new MergedReads([this.#primary, this.#secondary], {
      isTransient: this.#transient,
      logger: this.#logger,
    });
    this.mover = new FallbackMover({
      ...options,
      primary: this.#primary,
      ...(options.moveBatch === undefined ? {} : { batch: options.moveBatch }),
    });
    if (options.moveInterval !== undefined) this.mover.start(options.moveInterval);
  }

  /** The primary as given (without the breaker `retryPrimaryAfter` adds). */
  get primary(): Backend<V> {
    return this.#givenPrimary;
  }

  get secondary(): Backend<V> {
    return this.#secondary;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    this.#gate.check();
    checkAddInput(key, record, options);
    // While the breaker rests the primary, its fast failures are not news.
    const resting = this.#primary instanceof CircuitBreakerBackend && this.#primary.open;
    let primaryError: unknown;
    try {
      return await this.#primary.add(key, record, options);
    } catch (error) {
      if (!this.#transient(error)) throw error;
      primaryError = error;
    }
    if (!resting) {
      this.#logger.warn('fallback: the primary failed, writing to the secondary', {
        key,
        error: primaryError,
      });
    }
    try {
      return await this.#secondary.add(key, record, options);
    } catch (secondaryError) {
      const both = [primaryError, secondaryError];
      if (this.#transient(secondaryError)) {
        throw new BackendUnavailableError('the primary and the secondary are unavailable', {
          cause: new AggregateError(both, 'primary and secondary failures'),
        });
      }
      throw new PolyBackendError(both);
    }
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    this.#gate.check();
    return this.#reads.digest(key, fn, options);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    this.#gate.check();
    return this.#reads.schedule(deadline, options);
  }

  async maintenance(deadline: number): Promise<number> {
    this.#gate.check();
    return this.#reads.maintenance(deadline);
  }

  async flush(key: string): Promise<void> {
    this.#gate.check();
    return this.#reads.flush(key);
  }

  async delete(key: string): Promise<void> {
    this.#gate.check();
    assertValidKey(key);
    throwWriteFailures(await settle([this.#primary, this.#secondary], (b) => b.delete(key)));
  }

  async inspect(key: string): Promise<TimelineInfo> {
    this.#gate.check();
    return this.#reads.inspect(key);
  }

  /**
   * Cancels the records in the primary and in the secondary (a timeline may
   * have records in both after an outage); both must be reached, else the
   * failures are thrown as a `PolyBackendError`. Resolves the sum.
   */
  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.#gate.check();
    checkRecordKeys(key, recordKeys, 'remove');
    const settled = await settle([this.#primary, this.#secondary], (b) =>
      b.remove(key, recordKeys),
    );
    throwWriteFailures(settled);
    return settled.values.reduce((total, { value }) => total + value, 0);
  }

  async list(options?: ListOptions): Promise<ListPage> {
    this.#gate.check();
    return this.#reads.list(options);
  }

  async quarantined(key: string): Promise<QuarantinedRecord[]> {
    this.#gate.check();
    return this.#reads.quarantined(key);
  }

  /** A page of `key`'s records across the inner backends, merged in peek order. */
  async peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    this.#gate.check();
    return this.#reads.peek(key, options);
  }

  /** Deletes in the primary and the secondary (both must be reached); resolves the sum. */
  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    this.#gate.check();
    checkRecordKeys(key, recordKeys, 'deleteQuarantined');
    const settled = await settle([this.#primary, this.#secondary], (b) =>
      b.deleteQuarantined(key, recordKeys),
    );
    throwWriteFailures(settled);
    return settled.values.reduce((total, { value }) => total + value, 0);
  }

  /** Counts over the inner backends (see `MergedReads.stats`). */
  async stats(): Promise<BackendStats> {
    this.#gate.check();
    return this.#reads.stats();
  }

  /** One mover pass: the secondary's timelines back to the primary. */
  async moveBack(): Promise<MoveReport> {
    this.#gate.check();
    return this.mover.moveBack();
  }

  close(): Promise<void> {
    return this.#gate.close(async () => {
      await this.mover.stop();
      if (!this.#closeInner) return;
      throwWriteFailures(await settle([this.#primary, this.#secondary], (b) => b.close()));
    });
  }
}

function transientOf(options: { readonly isTransient?: TransientPredicate }) {
  return options.isTransient ? { isTransient: options.isTransient } : {};
}
