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
import { assertValidKey } from '../keys.js';
import { assertDeadline } from '../options.js';
import type { PeekOptions, PeekPage, PeekSource } from '../peek.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { BackendStats, StatsSource } from '../stats.js';
import { checkAddInput, checkRecordKeys } from './check-input.js';
import { CloseGate } from './close-gate.js';
import type { Logger } from './logger.js';
import { MergedReads } from './merged-reads.js';
import { settle, throwWriteFailures } from './settle.js';

/** Options of {@link PolyBackend}. */
export interface PolyBackendOptions {
  /** Which read failures are skipped. Default: core's `isTransient`. */
  readonly isTransient?: TransientPredicate;
  /** Where skipped inner backends are reported. Default: silent. */
  readonly logger?: Logger;
  /** Whether `close()` closes the inner backends (the container owns its tree). Default `true`. */
  readonly closeInner?: boolean;
}

/**
 * Keeps the same records in several stores so that losing one loses nothing
 * (Socorro's `PolyCrashStorage`). Every write (`add`, `flush`, `delete`,
 * `maintenance`) goes to every inner backend; each is tried even after
 * another failed, then the failures are thrown together as a
 * `PolyBackendError` (transient when all of them are). Bad input is rejected
 * before any inner backend is written.
 *
 * Reads merge (see `MergedReads`): `digest` calls `fn` once with each record
 * once and removes the delivered records from every copy; `inspect` and
 * `list` report the largest copy's size. `add` resolves `true` when any
 * inner backend did; `maintenance`, `remove` and `deleteQuarantined` the
 * largest count (the copies hold the same keys). After `close()` every call
 * rejects `BackendClosedError`.
 *
 * @example
 * ```ts
 * const backend = new PolyBackend([new RedisBackend({ url }), new SqliteBackend({ filename })]);
 * await backend.add('mail:p:1', { key: 'e1', value: 'disk full', timestamp: Date.now() });
 * ```
 */
export class PolyBackend<V = unknown> implements Backend<V>, StatsSource, PeekSource<V> {
  readonly #backends: readonly Backend<V>[];
  readonly #reads: MergedReads<V>;
  readonly #closeInner: boolean;
  readonly #gate = new CloseGate('PolyBackend');

  constructor(backends: readonly Backend<V>[], options: PolyBackendOptions = {}) {
    this.#reads = new MergedReads(backends, { ...options, sizes: 'max' });
    this.#backends = [...backends];
    this.#closeInner = options.closeInner ?? true;
  }

  /** The inner backends, in the order they were given. */
  get backends(): readonly Backend<V>[] {
    return this.#backends;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    this.#gate.check();
    checkAddInput(key, record, options);
    const settled = await settle(this.#backends, (backend) => backend.add(key, record, options));
    throwWriteFailures(settled);
    return settled.values.some(({ value }) => value);
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
    assertDeadline(deadline);
    const settled = await this.#reads.exclusive(() =>
      settle(this.#backends, (backend) => backend.maintenance(deadline)),
    );
    throwWriteFailures(settled);
    return Math.max(0, ...settled.values.map(({ value }) => value));
  }

  async flush(key: string): Promise<void> {
    this.#gate.check();
    assertValidKey(key);
    throwWriteFailures(await settle(this.#backends, (backend) => backend.flush(key)));
  }

  async delete(key: string): Promise<void> {
    this.#gate.check();
    assertValidKey(key);
    throwWriteFailures(await settle(this.#backends, (backend) => backend.delete(key)));
  }

  async inspect(key: string): Promise<TimelineInfo> {
    this.#gate.check();
    return this.#reads.inspect(key);
  }

  /**
   * Cancels the records in every copy; each is tried even after another
   * failed. Resolves the largest count (the copies hold the same records).
   */
  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.#gate.check();
    checkRecordKeys(key, recordKeys, 'remove');
    const settled = await settle(this.#backends, (backend) => backend.remove(key, recordKeys));
    throwWriteFailures(settled);
    return Math.max(0, ...settled.values.map(({ value }) => value));
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

  /** Deletes from every copy; resolves the largest count. */
  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    this.#gate.check();
    checkRecordKeys(key, recordKeys, 'deleteQuarantined');
    const settled = await settle(this.#backends, (backend) =>
      backend.deleteQuarantined(key, recordKeys),
    );
    throwWriteFailures(settled);
    return Math.max(0, ...settled.values.map(({ value }) => value));
  }

  /** Counts over the inner backends (see `MergedReads.stats`). */
  async stats(): Promise<BackendStats> {
    this.#gate.check();
    return this.#reads.stats();
  }

  close(): Promise<void> {
    return this.#gate.close(async () => {
      if (!this.#closeInner) return;
      throwWriteFailures(await settle(this.#backends, (backend) => backend.close()));
    });
  }
}
