import type { AddOptions, TimelineRecord } from '../backend.js';
import { InvalidStateError } from '../errors.js';
import { DigestMetrics } from '../metrics/digest-metrics.js';
import { hasStats } from '../stats.js';
import { DigestRun, type Outcome } from './digest-run.js';
import {
  type DigestWorkerOptions,
  type ResolvedWorkerOptions,
  resolveWorkerOptions,
} from './digest-worker-options.js';
import { KeyFlights } from './key-flights.js';
import { DEFAULT_KEY_OPTIONS, type KeyOptions } from './key-options.js';
import { addOptionsWith } from './key-schedule.js';
import { type WorkerCounters, zeroCounters } from './worker-counters.js';

/**
 * What one pass did.
 *
 * @example
 * ```ts
 * const { scheduled, delivered, failed } = await worker.runOnce();
 * ```
 */
export interface PassResult {
  /** Keys maintenance moved back to waiting. */
  readonly maintained: number;
  /** Keys schedule yielded. */
  readonly scheduled: number;
  /** Digests that delivered records. */
  readonly delivered: number;
  /** Digests that failed. */
  readonly failed: number;
}

/**
 * Options of {@link DigestWorker.stop}.
 *
 * @example
 * ```ts
 * await worker.stop({ timeout: 25_000 }); // a deploy's grace period, minus a margin
 * ```
 */
export interface StopOptions {
  /**
   * Milliseconds to wait for in-flight digests; then their `signal` aborts and
   * `stop` returns without them (a delivery that gives up leaves its records
   * for maintenance). Default: wait for them.
   */
  readonly timeout?: number;
}

/**
 * Runs the digest loop over one backend: every `interval`, maintenance
 * (`now - maintenanceAge`), then schedule (`now`), then each ready key is
 * digested and delivered, at most `concurrency` at once. A pass that
 * delivered (and failed nothing) is followed at once by the next, so keys
 * that came due while it ran do not wait `interval`. Several workers,
 * in several processes, may share one store: the lease keeps a digest in one
 * worker, and the `LeaseConflictError` / `InvalidStateError` the others see
 * are counted (`leaseConflicts`), not failures.
 *
 * Delivery is at-least-once by default (`deliver` runs inside the digest; the
 * records go only once it succeeds) with a `digestId` that is stable across
 * retries of one snapshot; `mode: 'at-most-once'` delivers after the commit.
 * Empty digests (a backoff that expired with no new record) are committed
 * but not delivered. A key disabled in the options keeps its records and is
 * not delivered until enabled again.
 *
 * Each digest runs in its own action timeline; a failed digest's error
 * carries it (`timelineOf(error)`), and the logger receives it.
 *
 * A key is never left `ready` without a digest coming: a key that becomes
 * ready again while this worker's own digest of it is still finishing (an
 * add that got "first" right after that digest committed) is digested once
 * that digest ends; a digest bounded by `digestLimit` that leaves records
 * behind is followed at once by the next; and `schedule` claims one key at
 * a time by default, so a `stop()` leaves no claimed key unreached.
 *
 * A key with a calendar window (`KeyOptions.window`) is delivered at the
 * window's next occurrence after its last digest: adds pass `dueAt`, digests
 * the `minimumDelay` up to that occurrence.
 *
 * Metrics go through `@opentelemetry/api` (`meterProvider`, default the
 * global one); every instrument is listed in `src/metrics/README.md`.
 *
 * @example
 * ```ts
 * const worker = new DigestWorker({
 *   backend,
 *   deliver: async ({ key, records, digestId }) => mailer.send(key, records, { idempotencyKey: digestId }),
 *   interval: 10_000,
 *   concurrency: 8,
 * });
 * worker.start();
 * await worker.add('mail:p:1', { key: 'e1', value: alert, timestamp: Date.now() }); // first event: sent now
 * process.once('SIGTERM', () => worker.stop());
 * ```
 */
export class DigestWorker<V = unknown> {
  readonly #options: ResolvedWorkerOptions<V>;
  readonly #counters: WorkerCounters = zeroCounters();
  readonly #flights: KeyFlights<V>;
  readonly #passes = new Set<Promise<PassResult>>();
  readonly #metrics: DigestMetrics;
  readonly #unobserve: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;
  #stopping = false;
  #stopped: Promise<void> | undefined;

  constructor(options: DigestWorkerOptions<V>) {
    this.#options = resolveWorkerOptions(options);
    this.#metrics = new DigestMetrics(this.#options.meterProvider);
    const run = new DigestRun(this.#options, this.#counters, this.#metrics);
    this.#flights = new KeyFlights(this.#options, this.#counters, this.#metrics, run);
    const { backend } = this.#options;
    this.#unobserve = hasStats(backend)
      ? this.#metrics.observeKeys(() => backend.stats())
      : () => undefined;
  }

  /** A plain snapshot of the counters; later work does not change it. */
  get counters(): WorkerCounters {
    return { ...this.#counters };
  }

  /** Whether `stop()` was called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /**
   * Adds `record` to the timeline `key` (with the key's delay overrides) and,
   * when the add made the key ready, digests it at once: the first event is
   * not held back. Resolves once that delivery is done (its failure is
   * counted and logged, not thrown: the record is safe and will be retried).
   * Rejects what the backend rejects, and `InvalidStateError` after `stop()`.
   */
  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    if (this.#stopping) throw new InvalidStateError('the worker is stopping: add() is refused');
    // Without an options source there is nothing to wait for.
    const keyOptions =
      this.#options.options === undefined ? DEFAULT_KEY_OPTIONS : await this.#keyOptions(key);
    const first = await this.#options.backend.add(
      key,
      record,
      addOptionsWith(keyOptions, options, this.#options.clock),
    );
    this.#counters.recordsAdded++;
    this.#metrics.recordAdded();
    if (first) {
      this.#counters.immediateDigests++;
      await this.#flights.digest(key, keyOptions);
    }
    return first;
  }

  /**
   * Runs passes every `interval` (the first at once) until `stop()`. A pass
   * never overlaps the next one from the timer.
   */
  start(): void {
    if (this.#stopping) throw new InvalidStateError('a stopped worker cannot start again');
    if (this.#started) return;
    this.#started = true;
    this.#tick();
  }

  /**
   * One pass: maintenance, schedule, and the digests of the keys it yielded
   * (bounded by `concurrency`). For tests and cron jobs; never rejects — a
   * store failure is counted in `passFailures` and logged.
   */
  runOnce(): Promise<PassResult> {
    const pass = this.#pass().finally(() => this.#passes.delete(pass));
    this.#passes.add(pass);
    return pass;
  }

  /**
   * Stops gracefully: no new pass or digest starts, `add` is refused, running
   * digests finish (or, past `timeout`, are told to give up through their
   * signal), then the backend is closed if `closeBackend` was set. Signals
   * (SIGTERM, …) are the caller's business. Calling it again returns the same
   * promise.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.#stopped ??= this.#stop(options);
    return this.#stopped;
  }

  async #stop({ timeout }: StopOptions): Promise<void> {
    this.#stopping = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const settled = async (): Promise<void> => {
      // Passes wait for their own digests; add-triggered digests are in #inFlight.
      while (this.#passes.size > 0 || this.#flights.busy) {
        await Promise.allSettled([...this.#passes, ...this.#flights.running()]);
      }
    };
    if (timeout === undefined) {
      await settled();
    } else {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        timer = setTimeout(() => resolve('expired'), timeout);
      });
      const outcome = await Promise.race([settled(), expired]);
      clearTimeout(timer);
      if (outcome === 'expired') {
        const keys = this.#flights.abortAll();
        this.#options.logger.warn('worker stopped with digests still running', { keys });
      }
    }
    this.#unobserve();
    if (this.#options.closeBackend) await this.#options.backend.close();
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopping) return;
    void this.runOnce().then(({ delivered, failed }) => {
      if (this.#stopping) return;
      // A pass that delivered cleanly may have left keys that came due while
      // it ran: the next pass follows at once instead of sleeping `interval`.
      // A pass with nothing to deliver, or with failures, waits (no spinning
      // on a failing delivery that maintenance keeps handing back).
      const wait = delivered > 0 && failed === 0 ? 0 : this.#options.interval;
      this.#timer = setTimeout(() => this.#tick(), wait);
    });
  }

  async #pass(): Promise<PassResult> {
    const { backend, clock, maintenanceAge, concurrency, chunkSize, logger } = this.#options;
    const result = { maintained: 0, scheduled: 0, delivered: 0, failed: 0 };
    if (this.#stopping) return result;
    this.#counters.passes++;
    const now = clock();
    try {
      result.maintained = await backend.maintenance(now - maintenanceAge);
      this.#counters.maintained += result.maintained;
    } catch (error) {
      // Maintenance only rescues stuck keys: schedule may still work.
      this.#counters.passFailures++;
      logger.warn('maintenance failed', { error });
    }
    const running = new Set<Promise<Outcome>>();
    const tally = (outcome: Outcome): void => {
      if (outcome === 'delivered') result.delivered++;
      else if (outcome === 'failed') result.failed++;
    };
    try {
      for await (const { key, timestamp } of backend.schedule(now, { chunkSize })) {
        result.scheduled++;
        this.#counters.scheduled++;
        const task = this.#keyOptions(key).then((keyOptions) =>
          this.#flights.digest(key, keyOptions, timestamp),
        );
        const tracked = task.then((outcome) => {
          running.delete(tracked);
          tally(outcome);
          return outcome;
        });
        running.add(tracked);
        if (running.size >= concurrency) await Promise.race(running);
        // Stop before claiming another key: with the default chunk of one,
        // every key claimed so far has its digest started, and the rest stay
        // waiting for another worker.
        if (this.#stopping) break;
      }
    } catch (error) {
      this.#counters.passFailures++;
      logger.warn('schedule failed', { error });
    }
    await Promise.all(running);
    return result;
  }

  async #keyOptions(key: string): Promise<KeyOptions> {
    const source = this.#options.options;
    if (source === undefined) return DEFAULT_KEY_OPTIONS;
    try {
      return await source.forKey(key);
    } catch (error) {
      this.#options.logger.warn('key options unavailable; using defaults', { key, error });
      return DEFAULT_KEY_OPTIONS;
    }
  }
}
