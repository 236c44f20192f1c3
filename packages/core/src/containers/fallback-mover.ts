import type { Backend } from '../backend.js';
import { ConfigurationError, InvalidStateError, LeaseConflictError } from '../errors.js';
import { positiveInteger } from '../options.js';
import { isTransient, type TransientPredicate } from '../retry/transient.js';
import { type Logger, silentLogger } from './logger.js';

/** What one {@link FallbackMover.moveBack} pass did. */
export interface MoveReport {
  /** Timelines emptied out of the secondary. */
  readonly keys: number;
  /** Records added to the primary. */
  readonly records: number;
  /** Keys the primary made `ready` (its `add` resolved `true`): deliver them now, or let maintenance. */
  readonly ready: readonly string[];
  /** Keys left in the secondary for a later pass (a digest held them, or a store failed). */
  readonly skipped: number;
}

/** Options of {@link FallbackMover}. */
export interface FallbackMoverOptions<V> {
  readonly primary: Backend<V>;
  readonly secondary: Backend<V>;
  /** Which failures end a pass quietly (the primary is down again). Default: core's `isTransient`. */
  readonly isTransient?: TransientPredicate;
  readonly logger?: Logger;
  /**
   * Records taken out of the secondary per digest (its `limit`), so moving
   * a large timeline holds at most this many in memory. Default 1000.
   */
  readonly batch?: number;
}

/** A timeline is re-digested at most this often in one pass once it was drained (records still arriving). */
const MAX_TAIL_ROUNDS_PER_KEY = 8;

/** Records per digest of the secondary when the options do not say. */
const DEFAULT_MOVE_BATCH = 1000;

/**
 * Returns the timelines a `FallbackBackend` wrote to its secondary during an
 * outage to the primary, without losing or duplicating a record.
 *
 * One pass: `maintenance(Infinity)` then `schedule(Infinity)` on the
 * secondary list every timeline it holds (ready or waiting; a timeline whose
 * lease is held is skipped for now). Each is digested on the secondary, at
 * most `batch` records at a time (a limited digest: oldest first), with a
 * function that adds every record to the primary, oldest first; the digest
 * commits — removing those records from the secondary — only after every
 * add succeeded. A pass cut short re-adds the same record keys next time, which
 * replaces them: records are keyed, so a retry never duplicates. The emptied
 * timeline is digested once more, which makes it `absent`.
 *
 * Limit: a record key written to the secondary during the outage and again,
 * newer, to the primary afterwards is overwritten by the older copy.
 * Record keys are normally unique event ids, for which this cannot happen.
 *
 * @example
 * ```ts
 * const mover = new FallbackMover({ primary: redis, secondary: sqlite, logger: console });
 * const report = await mover.moveBack(); // once, e.g. when Redis is reachable again
 * mover.start(60_000);                   // or every minute until stop()
 * ```
 */
export class FallbackMover<V = unknown> {
  readonly #primary: Backend<V>;
  readonly #secondary: Backend<V>;
  readonly #transient: TransientPredicate;
  readonly #logger: Logger;
  readonly #batch: number;
  #pass: Promise<MoveReport> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: FallbackMoverOptions<V>) {
    this.#primary = options.primary;
    this.#secondary = options.secondary;
    this.#transient = options.isTransient ?? isTransient;
    this.#logger = options.logger ?? silentLogger;
    this.#batch = positiveInteger(options.batch, 'batch') ?? DEFAULT_MOVE_BATCH;
  }

  /** Whether the periodic mode is on. */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * One pass over the secondary. Concurrent calls share the pass in progress.
   * Rejects when the secondary cannot be listed; a primary that fails while
   * records are moved ends the pass early (`skipped` counts what is left).
   */
  moveBack(): Promise<MoveReport> {
    this.#pass ??= this.#run().finally(() => {
      this.#pass = undefined;
    });
    return this.#pass;
  }

  /**
   * Runs {@link moveBack} every `interval` ms until {@link stop}; a failed
   * pass is logged and retried at the next tick. The timer does not keep the
   * process alive.
   */
  start(interval: number): void {
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
      throw new ConfigurationError(
        `move interval must be a positive number, got ${String(interval)}`,
      );
    }
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.moveBack().then(
        (report) => {
          if (report.keys > 0)
            this.#logger.warn('fallback: moved timelines back to the primary', { ...report });
        },
        (error: unknown) => this.#logger.warn('fallback: moving back failed', { error }),
      );
    }, interval);
    this.#timer.unref?.();
  }

  /** Stops the periodic mode and waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#pass?.catch(() => undefined);
  }

  async #run(): Promise<MoveReport> {
    let keys = 0;
    let records = 0;
    let skipped = 0;
    const ready: string[] = [];
    let primaryDown = false;
    await this.#secondary.maintenance(Number.POSITIVE_INFINITY);
    for await (const { key } of this.#secondary.schedule(Number.POSITIVE_INFINITY)) {
      if (primaryDown) {
        skipped++;
        continue;
      }
      try {
        const moved = await this.#moveKey(key);
        keys++;
        records += moved.records;
        if (moved.ready) ready.push(key);
      } catch (error) {
        skipped++;
        if (error instanceof LeaseConflictError || error instanceof InvalidStateError) continue;
        if (!this.#transient(error)) throw error;
        // The primary (or the secondary) is down again: the rest waits for the next pass.
        primaryDown = true;
        this.#logger.warn('fallback: moving back stopped, a store is unavailable', { key, error });
      }
    }
    return { keys, records, ready, skipped };
  }

  async #moveKey(key: string): Promise<{ records: number; ready: boolean }> {
    let total = 0;
    let ready = false;
    for (let tail = 0; tail < MAX_TAIL_ROUNDS_PER_KEY; ) {
      const moved = await this.#secondary.digest(
        key,
        async (snapshot) => {
          // Oldest first, so the primary's schedule and capacity see them in order.
          for (let i = snapshot.length - 1; i >= 0; i--) {
            if (await this.#primary.add(key, snapshot[i]!)) ready = true;
          }
          return snapshot.length;
        },
        { minimumDelay: 0, limit: this.#batch },
      );
      total += moved;
      // An empty digest made the timeline absent: the secondary holds nothing more of it.
      if (moved === 0) break;
      // A full batch leaves the rest ready; a short one made it waiting: ready it again.
      if (moved < this.#batch) {
        tail++;
        await this.#secondary.flush(key);
      }
    }
    return { records: total, ready };
  }
}
