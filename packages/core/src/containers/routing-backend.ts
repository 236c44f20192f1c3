import type {
  AddOptions,
  Backend,
  DigestFunction,
  DigestOptions,
  ScheduleEntry,
  ScheduleOptions,
  TimelineInfo,
  TimelineRecord,
} from '../backend.js';
import { ConfigurationError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { BackendStats, StatsSource } from '../stats.js';
import { checkAddInput } from './check-input.js';
import type { Logger } from './logger.js';
import { MergedReads } from './merged-reads.js';
import { settle, throwWriteFailures } from './settle.js';

/** Options of {@link RoutingBackend}. */
export interface RoutingBackendOptions<V> {
  /** `true` sends the timeline `key` to the primary, `false` to the secondary. Must be pure. */
  readonly predicate: (key: string) => boolean;
  readonly primary: Backend<V>;
  readonly secondary: Backend<V>;
  /** Which read failures are skipped. Default: core's `isTransient`. */
  readonly isTransient?: TransientPredicate;
  readonly logger?: Logger;
  /** Whether `close()` closes primary and secondary (the container owns its tree). Default `true`. */
  readonly closeInner?: boolean;
}

/**
 * Sends each timeline to one of two backends by a predicate on its key, e.g.
 * mail digests to Redis and everything else to PostgreSQL. A key never lives
 * in both: `add`, `flush` and `delete` go to the routed backend only. Reads
 * merge (see `MergedReads`): `schedule` is the union of both, and `digest`
 * and `inspect` look in both, so records stranded by a changed predicate are
 * still delivered.
 *
 * @example
 * ```ts
 * const backend = new RoutingBackend({
 *   predicate: (key) => key.startsWith('mail:'),
 *   primary: redis,
 *   secondary: postgres,
 * });
 * ```
 */
export class RoutingBackend<V = unknown> implements Backend<V>, StatsSource {
  readonly #predicate: (key: string) => boolean;
  readonly #primary: Backend<V>;
  readonly #secondary: Backend<V>;
  readonly #reads: MergedReads<V>;
  readonly #closeInner: boolean;

  constructor(options: RoutingBackendOptions<V>) {
    if (typeof options.predicate !== 'function') {
      throw new ConfigurationError('RoutingBackend needs a predicate function');
    }
    this.#predicate = options.predicate;
    this.#primary = options.primary;
    this.#secondary = options.secondary;
    this.#closeInner = options.closeInner ?? true;
    this.#reads = new MergedReads([options.primary, options.secondary], options);
  }

  /** Where keys the predicate accepts live. */
  get primary(): Backend<V> {
    return this.#primary;
  }

  /** Where the other keys live. */
  get secondary(): Backend<V> {
    return this.#secondary;
  }

  /** The backend that holds `key`. */
  route(key: string): Backend<V> {
    return this.#predicate(key) ? this.#primary : this.#secondary;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    checkAddInput(key, record, options);
    return this.route(key).add(key, record, options);
  }

  digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    return this.#reads.digest(key, fn, options);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    return this.#reads.schedule(deadline, options);
  }

  maintenance(deadline: number): Promise<number> {
    return this.#reads.maintenance(deadline);
  }

  async flush(key: string): Promise<void> {
    assertValidKey(key);
    await this.route(key).flush(key);
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.route(key).delete(key);
  }

  inspect(key: string): Promise<TimelineInfo> {
    return this.#reads.inspect(key);
  }

  /** Counts over the inner backends (see `MergedReads.stats`). */
  stats(): Promise<BackendStats> {
    return this.#reads.stats();
  }

  async close(): Promise<void> {
    if (!this.#closeInner) return;
    throwWriteFailures(await settle([this.#primary, this.#secondary], (b) => b.close()));
  }
}
