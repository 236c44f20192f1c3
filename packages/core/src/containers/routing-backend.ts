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
import { ConfigurationError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import type { PeekOptions, PeekPage, PeekSource } from '../peek.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { BackendStats, StatsSource } from '../stats.js';
import { checkAddInput, checkRecordKeys } from './check-input.js';
import { CloseGate } from './close-gate.js';
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
 * in both: `add`, `flush`, `delete` and `remove` go to the routed backend
 * only. Reads merge (see `MergedReads`): `schedule` and `list` are the union
 * of both, and `digest`, `inspect` and `quarantined` look in both, so
 * records stranded by a changed predicate are still delivered (and their
 * quarantine can be cleared: `deleteQuarantined` reaches both). After
 * `close()` every call rejects `BackendClosedError`.
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
export class RoutingBackend<V = unknown> implements Backend<V>, StatsSource, PeekSource<V> {
  readonly #predicate: (key: string) => boolean;
  readonly #primary: Backend<V>;
  readonly #secondary: Backend<V>;
  readonly #reads: MergedReads<V>;
  readonly #closeInner: boolean;
  readonly #gate = new CloseGate('RoutingBackend');

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
    this.#gate.check();
    checkAddInput(key, record, options);
    return this.route(key).add(key, record, options);
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
    assertValidKey(key);
    await this.route(key).flush(key);
  }

  async delete(key: string): Promise<void> {
    this.#gate.check();
    assertValidKey(key);
    await this.route(key).delete(key);
  }

  async inspect(key: string): Promise<TimelineInfo> {
    this.#gate.check();
    return this.#reads.inspect(key);
  }

  /** Cancels the records in the backend that holds `key` (like `delete`). */
  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.#gate.check();
    checkRecordKeys(key, recordKeys, 'remove');
    return this.route(key).remove(key, recordKeys);
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

  /**
   * Deletes in both backends: a digest of a key stranded by a changed
   * predicate quarantines where the records were. Resolves the sum.
   */
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

  close(): Promise<void> {
    return this.#gate.close(async () => {
      if (!this.#closeInner) return;
      throwWriteFailures(await settle([this.#primary, this.#secondary], (b) => b.close()));
    });
  }
}
