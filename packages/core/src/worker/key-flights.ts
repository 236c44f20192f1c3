/**
 * The worker's digests in flight, one per key, with the follow-up and drain
 * rules of the worker README ("No ready key is left unattended").
 *
 * @module
 */
import type { DigestMetrics } from '../metrics/digest-metrics.js';
import { runWithTimeline } from '../timeline/timeline-context.js';
import type { DigestRun, Outcome } from './digest-run.js';
import type { ResolvedWorkerOptions } from './digest-worker-options.js';
import type { KeyOptions } from './key-options.js';
import type { WorkerCounters } from './worker-counters.js';

/** A digest running in this worker, and the one queued to follow it. */
interface Flight {
  readonly done: Promise<Outcome>;
  readonly abort: AbortController;
  /** Set when the key became ready again while this digest ran. */
  again?: Promise<Outcome>;
}

/**
 * Starts digests, at most one per key at a time, and knows which are running.
 *
 * @example
 * ```ts
 * const flights = new KeyFlights(options, counters, metrics, new DigestRun(options, counters, metrics));
 * const outcome = await flights.digest('mail:p:1', DEFAULT_KEY_OPTIONS);
 * ```
 */
export class KeyFlights<V> {
  readonly #options: ResolvedWorkerOptions<V>;
  readonly #counters: WorkerCounters;
  readonly #metrics: DigestMetrics;
  readonly #run: DigestRun<V>;
  /** Digests running in this worker, by key: one per key at a time. */
  readonly #inFlight = new Map<string, Flight>();
  /** Follow-up digests queued behind a running one; `stop()` waits for them too. */
  readonly #followUps = new Set<Promise<Outcome>>();

  constructor(
    options: ResolvedWorkerOptions<V>,
    counters: WorkerCounters,
    metrics: DigestMetrics,
    run: DigestRun<V>,
  ) {
    this.#options = options;
    this.#counters = counters;
    this.#metrics = metrics;
    this.#run = run;
  }

  /** Whether any digest or follow-up is still running. */
  get busy(): boolean {
    return this.#inFlight.size > 0 || this.#followUps.size > 0;
  }

  /** The promises of every running digest and follow-up. */
  running(): Promise<Outcome>[] {
    return [...this.#followUps, ...[...this.#inFlight.values()].map((flight) => flight.done)];
  }

  /** Tells every running digest to give up (its `signal` aborts); returns their keys. */
  abortAll(): string[] {
    for (const flight of this.#inFlight.values()) flight.abort.abort();
    return [...this.#inFlight.keys()];
  }

  /**
   * Digests `key`; never rejects. When this worker is digesting the key
   * already, the key became ready again behind that digest (an add got
   * "first" after its commit): one more digest follows once it ends, or the
   * key would sit ready, unleased, until maintenance.
   */
  digest(key: string, keyOptions: KeyOptions, dueAt?: number): Promise<Outcome> {
    if (!keyOptions.enabled) {
      this.#counters.skippedDisabled++;
      return Promise.resolve('disabled');
    }
    const running = this.#inFlight.get(key);
    if (running !== undefined) {
      if (running.again === undefined) {
        const again = running.done.then(() => this.digest(key, keyOptions));
        running.again = again;
        this.#followUps.add(again);
        void again.finally(() => this.#followUps.delete(again));
      }
      return running.again;
    }
    if (dueAt !== undefined) this.#metrics.scheduleLag((this.#options.clock() - dueAt) / 1000);
    const abort = new AbortController();
    const done = this.#drain(key, keyOptions, abort.signal).finally(() =>
      this.#inFlight.delete(key),
    );
    this.#inFlight.set(key, { done, abort });
    return done;
  }

  /**
   * Digests until the key has no more than `digestLimit` records left: a
   * bounded digest that handed over a full `limit` may have left records in
   * a key that stays ready, so the next digest follows at once.
   */
  async #drain(key: string, keyOptions: KeyOptions, signal: AbortSignal): Promise<Outcome> {
    const limit = this.#options.digestLimit;
    let outcome: Outcome = 'empty';
    for (let round = 0; ; round++) {
      const { outcome: next, delivered } = await runWithTimeline((timeline) =>
        this.#run.run(key, keyOptions, signal, timeline, round > 0),
      );
      // A follow-up that found the key no longer ready: the last one took all.
      if (round > 0 && next === 'conflict') return outcome;
      outcome = next;
      if (limit === undefined || delivered < limit || signal.aborted) return outcome;
    }
  }
}
