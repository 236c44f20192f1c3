/**
 * One digest of the worker: the backend's digest with delivery inside it
 * (at-least-once) or after it (at-most-once), and how it ended, counted.
 *
 * @module
 */
import type { TimelineRecord } from '../backend.js';
import { InvalidStateError, LeaseConflictError, LeaseLostError } from '../errors.js';
import type { DigestMetrics } from '../metrics/digest-metrics.js';
import { timed } from '../timeline/timed.js';
import type { Timeline } from '../timeline/timeline.js';
import { attachTimeline } from '../timeline/timeline-errors.js';
import { digestIdOf } from './digest-id.js';
import type { ResolvedWorkerOptions } from './digest-worker-options.js';
import type { KeyOptions } from './key-options.js';
import { digestOptionsFor } from './key-schedule.js';
import type { WorkerCounters } from './worker-counters.js';

/** How one digest ended. */
export type Outcome = 'delivered' | 'empty' | 'failed' | 'conflict' | 'lost' | 'disabled';

/**
 * Runs single digests for a worker and keeps its counters and metrics.
 * Never rejects: every failure becomes an {@link Outcome}, logged.
 *
 * @example
 * ```ts
 * const runner = new DigestRun(options, counters, metrics);
 * const { outcome, delivered } = await runner.run(key, keyOptions, signal, timeline, false);
 * ```
 */
export class DigestRun<V> {
  readonly #options: ResolvedWorkerOptions<V>;
  readonly #counters: WorkerCounters;
  readonly #metrics: DigestMetrics;

  constructor(options: ResolvedWorkerOptions<V>, counters: WorkerCounters, metrics: DigestMetrics) {
    this.#options = options;
    this.#counters = counters;
    this.#metrics = metrics;
  }

  /** Digests `key` once; `followUp` marks a digest queued behind another. */
  async run(
    key: string,
    keyOptions: KeyOptions,
    signal: AbortSignal,
    timeline: Timeline,
    followUp: boolean,
  ): Promise<{ outcome: Outcome; delivered: number }> {
    const { backend, mode, clock, digestLimit } = this.#options;
    let entered = false;
    try {
      // Inside the try: a window the options source did not check may throw.
      const digestOptions = digestOptionsFor(keyOptions, clock(), digestLimit);
      if (mode === 'at-least-once') {
        const count = await backend.digest(
          key,
          async (records) => {
            entered = true;
            if (records.length === 0) return 0;
            await this.#deliver(key, records, signal);
            return records.length;
          },
          digestOptions,
        );
        return { outcome: this.#delivered(count), delivered: count };
      }
      const records = await backend.digest(
        key,
        (records) => {
          entered = true;
          return [...records];
        },
        digestOptions,
      );
      if (records.length > 0) await this.#deliver(key, records, signal);
      return { outcome: this.#delivered(records.length), delivered: records.length };
    } catch (error) {
      return { outcome: this.#failed(key, error, entered, timeline, followUp), delivered: 0 };
    }
  }

  async #deliver(
    key: string,
    records: readonly TimelineRecord<V>[],
    signal: AbortSignal,
  ): Promise<void> {
    const digestId = digestIdOf(key, records);
    await timed('deliver', key, () => this.#options.deliver({ key, records, digestId, signal }));
    let oldest = Number.POSITIVE_INFINITY;
    for (const record of records) oldest = Math.min(oldest, record.timestamp);
    this.#metrics.delivered(records.length, (this.#options.clock() - oldest) / 1000);
  }

  #delivered(count: number): Outcome {
    if (count === 0) {
      this.#counters.emptyDigests++;
      return 'empty';
    }
    this.#counters.digestsDelivered++;
    this.#counters.recordsDelivered += count;
    return 'delivered';
  }

  #failed(
    key: string,
    error: unknown,
    entered: boolean,
    timeline: Timeline,
    followUp: boolean,
  ): Outcome {
    // Before our function ran, these mean another worker has (or just had)
    // the key — or, for a follow-up, that there was nothing left to digest.
    if (!entered && (error instanceof LeaseConflictError || error instanceof InvalidStateError)) {
      if (!followUp) this.#counters.leaseConflicts++;
      return 'conflict';
    }
    attachTimeline(error, timeline);
    if (error instanceof LeaseLostError) {
      this.#counters.leasesLost++;
      this.#metrics.leaseLost();
      this.#options.logger.warn('digest lease lost; its records will be delivered again', {
        key,
        error,
        timeline: timeline.summary().text,
      });
      return 'lost';
    }
    this.#counters.failures++;
    this.#metrics.deliveryFailed();
    this.#options.logger.error(
      this.#options.mode === 'at-most-once' && entered
        ? 'delivery failed after commit; these records are lost (at-most-once)'
        : 'digest failed; its records stay for the next attempt',
      { key, error, timeline: timeline.format() },
    );
    return 'failed';
  }
}
