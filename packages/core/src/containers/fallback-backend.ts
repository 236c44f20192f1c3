import type { AddOptions, Backend, TimelineRecord } from '../backend.js';
import { BackendUnavailableError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import { isTransient, type TransientPredicate } from '../retry/transient.js';
import { checkAddInput, checkRecordKeys } from './check-input.js';
import { CircuitBreakerBackend } from './circuit-breaker-backend.js';
import { FallbackMover, type MoveReport } from './fallback-mover.js';
import { type Logger, silentLogger } from './logger.js';
import { MergedContainer } from './merged-container.js';
import { PolyBackendError } from './poly-backend-error.js';

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
export class FallbackBackend<V = unknown> extends MergedContainer<V> {
  readonly #primary: Backend<V>;
  readonly #givenPrimary: Backend<V>;
  readonly #secondary: Backend<V>;
  readonly #transient: TransientPredicate;
  readonly #logger: Logger;
  /** Returns the secondary's timelines to the primary; see {@link FallbackMover}. */
  readonly mover: FallbackMover<V>;

  constructor(options: FallbackBackendOptions<V>) {
    const rest = options.retryPrimaryAfter ?? 0;
    const primary =
      rest > 0
        ? new CircuitBreakerBackend({
            backend: options.primary,
            cooldown: rest,
            ...transientOf(options),
          })
        : options.primary;
    const transient = options.isTransient ?? isTransient;
    const logger = options.logger ?? silentLogger;
    super({
      name: 'FallbackBackend',
      backends: [primary, options.secondary],
      reads: { isTransient: transient, logger },
      ...(options.closeInner === undefined ? {} : { closeInner: options.closeInner }),
    });
    this.#givenPrimary = options.primary;
    this.#primary = primary;
    this.#secondary = options.secondary;
    this.#transient = transient;
    this.#logger = logger;
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
    this.check();
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

  async flush(key: string): Promise<void> {
    this.check();
    return this.reads.flush(key);
  }

  /** Deletes in the primary and the secondary: the key may live in both. */
  async delete(key: string): Promise<void> {
    this.check();
    assertValidKey(key);
    await this.writeAll((b) => b.delete(key));
  }

  /**
   * Cancels the records in the primary and in the secondary (a timeline may
   * have records in both after an outage); both must be reached, else the
   * failures are thrown as a `PolyBackendError`. Resolves the sum.
   */
  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.check();
    checkRecordKeys(key, recordKeys, 'remove');
    return this.total(await this.writeAll((b) => b.remove(key, recordKeys)));
  }

  /** One mover pass: the secondary's timelines back to the primary. */
  async moveBack(): Promise<MoveReport> {
    this.check();
    return this.mover.moveBack();
  }

  protected override async beforeClose(): Promise<void> {
    await this.mover.stop();
  }
}

function transientOf(options: { readonly isTransient?: TransientPredicate }) {
  return options.isTransient ? { isTransient: options.isTransient } : {};
}
