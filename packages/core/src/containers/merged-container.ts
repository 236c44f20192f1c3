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
import type { PeekOptions, PeekPage, PeekSource } from '../peek.js';
import type { BackendStats, StatsSource } from '../stats.js';
import { checkRecordKeys } from './check-input.js';
import { CloseGate } from './close-gate.js';
import { MergedReads, type MergedReadsOptions } from './merged-reads.js';
import { settle, throwWriteFailures } from './settle.js';

/** What a {@link MergedContainer} is built from. */
export interface MergedContainerParts<V> {
  /** The container's name, for `BackendClosedError` messages. */
  readonly name: string;
  /** The inner backends it reads from, writes to everywhere and closes. */
  readonly backends: readonly Backend<V>[];
  /** How the reads merge (`sizes: 'max'` also makes counts the largest, not the sum). */
  readonly reads: MergedReadsOptions;
  /** Whether `close()` closes the inner backends. Default `true`. */
  readonly closeInner?: boolean;
}

/**
 * What the fallback, routing and poly containers share: the close gate,
 * the merged reads (`digest`, `schedule`, `maintenance`, `inspect`, `list`,
 * `quarantined`, `peek`, `stats`, see `MergedReads`), `deleteQuarantined`
 * on every inner backend, and `close()`. A container extends it and writes
 * its own `add`, `flush`, `delete` and `remove`.
 *
 * @example
 * ```ts
 * class MirrorBackend<V> extends MergedContainer<V> {
 *   constructor(backends: Backend<V>[]) {
 *     super({ name: 'MirrorBackend', backends, reads: { sizes: 'max' } });
 *   }
 *   // add, flush, delete, remove …
 * }
 * ```
 */
export abstract class MergedContainer<V = unknown>
  implements Backend<V>, StatsSource, PeekSource<V>
{
  readonly #reads: MergedReads<V>;
  readonly #backends: readonly Backend<V>[];
  readonly #max: boolean;
  readonly #closeInner: boolean;
  readonly #gate: CloseGate;

  protected constructor(parts: MergedContainerParts<V>) {
    this.#reads = new MergedReads(parts.backends, parts.reads);
    this.#backends = [...parts.backends];
    this.#max = parts.reads.sizes === 'max';
    this.#closeInner = parts.closeInner ?? true;
    this.#gate = new CloseGate(parts.name);
  }

  abstract add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean>;
  abstract flush(key: string): Promise<void>;
  abstract delete(key: string): Promise<void>;
  abstract remove(key: string, recordKeys: readonly string[]): Promise<number>;

  /** The merged reads over the inner backends. */
  protected get reads(): MergedReads<V> {
    return this.#reads;
  }

  /** Throws `BackendClosedError` once `close()` was called. */
  protected check(): void {
    this.#gate.check();
  }

  /**
   * Runs `write` on every inner backend, each tried even after another
   * failed, then throws the failures together (`throwWriteFailures`);
   * resolves the answers in the inner backends' order.
   */
  protected async writeAll<T>(write: (backend: Backend<V>) => Promise<T>): Promise<T[]> {
    const settled = await settle(this.#backends, write);
    throwWriteFailures(settled);
    return settled.values.map(({ value }) => value);
  }

  /** Counts from every inner backend as one: the largest for copies, else the sum. */
  protected total(counts: readonly number[]): number {
    return this.#max ? Math.max(0, ...counts) : counts.reduce((total, count) => total + count, 0);
  }

  /** Runs before `close()` closes the inner backends (e.g. to stop a mover). */
  protected async beforeClose(): Promise<void> {}

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    this.check();
    return this.#reads.digest(key, fn, options);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    this.check();
    return this.#reads.schedule(deadline, options);
  }

  async maintenance(deadline: number): Promise<number> {
    this.check();
    return this.#reads.maintenance(deadline);
  }

  async inspect(key: string): Promise<TimelineInfo> {
    this.check();
    return this.#reads.inspect(key);
  }

  async list(options?: ListOptions): Promise<ListPage> {
    this.check();
    return this.#reads.list(options);
  }

  async quarantined(key: string): Promise<QuarantinedRecord[]> {
    this.check();
    return this.#reads.quarantined(key);
  }

  /** A page of `key`'s records across the inner backends, merged in peek order. */
  async peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    this.check();
    return this.#reads.peek(key, options);
  }

  /**
   * Deletes in every inner backend (each must be reached: a key's
   * quarantine may sit in any of them); resolves the total.
   */
  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    this.check();
    checkRecordKeys(key, recordKeys, 'deleteQuarantined');
    return this.total(await this.writeAll((b) => b.deleteQuarantined(key, recordKeys)));
  }

  /** Counts over the inner backends (see `MergedReads.stats`). */
  async stats(): Promise<BackendStats> {
    this.check();
    return this.#reads.stats();
  }

  close(): Promise<void> {
    return this.#gate.close(async () => {
      await this.beforeClose();
      if (!this.#closeInner) return;
      await this.writeAll((backend) => backend.close());
    });
  }
}
