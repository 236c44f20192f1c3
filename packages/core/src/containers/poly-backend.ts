import { type AddEntry, addMany, checkAddMany, hasAddMany } from '../add-many.js';
import type { AddOptions, Backend, TimelineRecord } from '../backend.js';
import { assertValidKey } from '../keys.js';
import { assertDeadline } from '../options.js';
import type { TransientPredicate } from '../retry/transient.js';
import { checkAddInput, checkRecordKeys } from './check-input.js';
import type { Logger } from './logger.js';
import { MergedContainer } from './merged-container.js';

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
export class PolyBackend<V = unknown> extends MergedContainer<V> {
  readonly #backends: readonly Backend<V>[];

  /**
   * Present when every inner backend ingests batches natively: the batch
   * goes whole to each copy (each tried even after another failed), and
   * entry i resolves `true` when any copy's did. Absent otherwise, so
   * core's `addMany` adds entry by entry.
   */
  readonly addMany?: (entries: readonly AddEntry<V>[], options?: AddOptions) => Promise<boolean[]>;

  constructor(backends: readonly Backend<V>[], options: PolyBackendOptions = {}) {
    super({
      name: 'PolyBackend',
      backends,
      reads: { ...options, sizes: 'max' },
      ...(options.closeInner === undefined ? {} : { closeInner: options.closeInner }),
    });
    this.#backends = [...backends];
    if (this.#backends.every((backend) => hasAddMany(backend))) {
      this.addMany = async (entries, addOptions) => {
        // Bad input first, as core's addMany did entry by entry.
        checkAddMany(entries, addOptions);
        this.check();
        const copies = await this.writeAll((backend) => addMany(backend, entries, addOptions));
        return entries.map((_, i) => copies.some((firsts) => firsts[i] === true));
      };
    }
  }

  /** The inner backends, in the order they were given. */
  get backends(): readonly Backend<V>[] {
    return this.#backends;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    this.check();
    checkAddInput(key, record, options);
    const added = await this.writeAll((backend) => backend.add(key, record, options));
    return added.some((first) => first);
  }

  /** Runs on every copy, in step with the schedule's claims; resolves the largest count. */
  override async maintenance(deadline: number): Promise<number> {
    this.check();
    assertDeadline(deadline);
    return this.total(
      await this.reads.exclusive(() => this.writeAll((backend) => backend.maintenance(deadline))),
    );
  }

  async flush(key: string): Promise<void> {
    this.check();
    assertValidKey(key);
    await this.writeAll((backend) => backend.flush(key));
  }

  async delete(key: string): Promise<void> {
    this.check();
    assertValidKey(key);
    await this.writeAll((backend) => backend.delete(key));
  }

  /**
   * Cancels the records in every copy; each is tried even after another
   * failed. Resolves the largest count (the copies hold the same records).
   */
  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.check();
    checkRecordKeys(key, recordKeys, 'remove');
    return this.total(await this.writeAll((backend) => backend.remove(key, recordKeys)));
  }
}
