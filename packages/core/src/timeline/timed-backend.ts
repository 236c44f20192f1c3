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
import { peekThrough } from '../containers/merged-peek.js';
import type { PeekOptions, PeekPage, PeekSource } from '../peek.js';
import { type BackendStats, type StatsSource, statsOf } from '../stats.js';
import { startAction, timed } from './timed.js';

/**
 * Options of {@link TimedBackend}.
 *
 * @example
 * ```ts
 * new TimedBackend(backend, { category: 'redis' } satisfies TimedBackendOptions);
 * ```
 */
export interface TimedBackendOptions {
  /** The category of every action, e.g. the store's name. Default `backend`. */
  readonly category?: string;
}

/**
 * A backend that wraps another and records one action per operation
 * (`ADD mail:p:1`, `DIGEST mail:p:1`, `SCHEDULE ≤ 1700000000000`,
 * `REMOVE mail:p:1`, `LIST ready`, …) into
 * the current timeline and, with a tracer registered, as spans. Any backend,
 * third-party ones included, gets operation-level timing this way; adapters
 * may also time their own statements with `timed`, which then nest under
 * these actions.
 *
 * A `DIGEST` action lasts from taking the lease to the commit, so it
 * includes the caller's function (actions that function starts are nested in
 * it). A `SCHEDULE` action lasts from the first entry asked for to the last,
 * so it includes what the consumer does between entries.
 *
 * @example
 * ```ts
 * const backend = new TimedBackend(new MemoryBackend(), { category: 'memory' });
 * await runWithTimeline(async (timeline) => {
 *   await backend.add('mail:p:1', record);
 *   console.log(timeline.summary().text); // "1 action in 0.05 ms: memory 1 (0.05 ms)"
 * });
 * ```
 */
export class TimedBackend<V = unknown> implements Backend<V>, StatsSource, PeekSource<V> {
  readonly #inner: Backend<V>;
  readonly #category: string;

  constructor(inner: Backend<V>, options: TimedBackendOptions = {}) {
    this.#inner = inner;
    this.#category = options.category ?? 'backend';
  }

  /** The wrapped backend. */
  get inner(): Backend<V> {
    return this.#inner;
  }

  add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    return timed(this.#category, `ADD ${label(key)}`, () => this.#inner.add(key, record, options));
  }

  digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    return timed(this.#category, `DIGEST ${label(key)}`, () =>
      this.#inner.digest(key, fn, options),
    );
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    const inner = this.#inner.schedule(deadline, options);
    const category = this.#category;
    return {
      async *[Symbol.asyncIterator]() {
        const action = startAction(category, `SCHEDULE ≤ ${label(deadline)}`);
        let failure: { error: unknown } | undefined;
        try {
          yield* inner;
        } catch (error) {
          failure = { error };
          throw error;
        } finally {
          // Also reached when the consumer stops early (`break`).
          action?.finish(failure?.error);
        }
      },
    };
  }

  maintenance(deadline: number): Promise<number> {
    return timed(this.#category, `MAINTENANCE ≤ ${label(deadline)}`, () =>
      this.#inner.maintenance(deadline),
    );
  }

  flush(key: string): Promise<void> {
    return timed(this.#category, `FLUSH ${label(key)}`, () => this.#inner.flush(key));
  }

  delete(key: string): Promise<void> {
    return timed(this.#category, `DELETE ${label(key)}`, () => this.#inner.delete(key));
  }

  inspect(key: string): Promise<TimelineInfo> {
    return timed(this.#category, `INSPECT ${label(key)}`, () => this.#inner.inspect(key));
  }

  remove(key: string, recordKeys: readonly string[]): Promise<number> {
    return timed(this.#category, `REMOVE ${label(key)}`, () => this.#inner.remove(key, recordKeys));
  }

  list(options?: ListOptions): Promise<ListPage> {
    const what = options?.state === undefined ? 'LIST' : `LIST ${label(options.state)}`;
    return timed(this.#category, what, () => this.#inner.list(options));
  }

  quarantined(key: string): Promise<QuarantinedRecord[]> {
    return timed(this.#category, `QUARANTINED ${label(key)}`, () => this.#inner.quarantined(key));
  }

  deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    return timed(this.#category, `DELETE QUARANTINED ${label(key)}`, () =>
      this.#inner.deleteQuarantined(key, recordKeys),
    );
  }

  peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    return timed(this.#category, `PEEK ${label(key)}`, () =>
      peekThrough(this.#inner, key, options),
    );
  }

  /** The inner backend's counts, recorded as a `STATS` action. */
  stats(): Promise<BackendStats> {
    return timed(this.#category, 'STATS', () => statsOf(this.#inner));
  }

  close(): Promise<void> {
    return timed(this.#category, 'CLOSE', () => this.#inner.close());
  }
}

/**
 * An argument as it appears in an action's detail. Bad input (a symbol, an
 * object) must reach the inner backend's validation, not break the label.
 */
function label(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : typeof value;
}
