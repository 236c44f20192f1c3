import type { AddEntry, AddManySource } from './add-many.js';
import { checkStoreAdds } from './add-many.js';
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
} from './backend.js';
import { ConfigurationError } from './errors.js';
import { checkStoreAdd, decodeValue } from './input.js';
import { assertValidKey } from './keys.js';
import { checkListOptions, listCursor } from './list-cursor.js';
import {
  assertDeadline,
  type BackendOptions,
  chunkSize,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
import {
  checkPeekOptions,
  type PeekOptions,
  type PeekPage,
  type PeekSource,
  peekCursor,
} from './peek.js';
import type { BackendStats, StatsSource } from './stats.js';
import type { DigestStore, StoreAdd } from './store.js';
import { storeDigest } from './store-digest.js';
import { StoreSteps } from './store-steps.js';

/** How many adds one store call takes when the store does not say. */
const DEFAULT_MAX_BATCH = 500;

/**
 * The one front of every store-backed backend: it implements {@link Backend}
 * once over a {@link DigestStore}. It owns the options, key, record and
 * per-call checks, encoding and decoding (quarantining what cannot be
 * decoded), `addMany` chunking, the leased-digest protocol with renewal,
 * operation timeouts, the transient-failure mapping, and the refusal of
 * every call after `close()`. The store only performs atomic steps.
 *
 * @example
 * ```ts
 * import { StoreBackend } from '@digests/core';
 *
 * export class MyBackend<V = unknown> extends StoreBackend<V> {
 *   constructor(options: MyBackendOptions<V> = {}) {
 *     super(new MyStore(options.url), options);
 *   }
 * }
 * ```
 */
export class StoreBackend<V = unknown>
  implements Backend<V>, AddManySource<V>, StatsSource, PeekSource<V>
{
  readonly #store: DigestStore;
  readonly #options: ResolvedOptions<V>;
  readonly #steps: StoreSteps;

  constructor(store: DigestStore, options: BackendOptions<V> = {}) {
    this.#options = resolveOptions(options);
    this.#store = store;
    this.#steps = new StoreSteps(store, this.#options as ResolvedOptions<unknown>);
  }

  /** The options in effect, defaults applied. */
  get options(): ResolvedOptions<V> {
    return this.#options;
  }

  /** The store this backend runs on. */
  get store(): DigestStore {
    return this.#store;
  }

  add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    // Not async: an in-process store's own promise is the only one per add.
    let add: StoreAdd;
    try {
      this.#steps.assertOpen();
      add = checkStoreAdd(key, record, options, this.#options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#steps.add(add);
  }

  /**
   * `add` on each entry in order. Every entry is checked and encoded before
   * the first write, so one bad entry writes nothing; the store then gets
   * the batch in chunks of its `maxBatch`. Resolves what each `add` would
   * have, in entry order.
   *
   * @example
   * ```ts
   * const firsts = await backend.addMany([
   *   { key: 'mail:p:1', record: { key: 'e1', value: 'a', timestamp: Date.now() } },
   *   { key: 'mail:p:2', record: { key: 'e2', value: 'b', timestamp: Date.now() } },
   * ]);
   * ```
   */
  async addMany(entries: readonly AddEntry<V>[], options?: AddOptions): Promise<boolean[]> {
    this.#steps.assertOpen();
    const adds = checkStoreAdds(entries, options, this.#options);
    const size = this.#store.maxBatch ?? DEFAULT_MAX_BATCH;
    const results: boolean[] = [];
    for (let start = 0; start < adds.length; start += size) {
      const chunk = adds.slice(start, start + size);
      results.push(...(await this.#steps.run('add', (context) => this.#store.add(chunk, context))));
    }
    return results;
  }

  digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    return storeDigest(this.#store, this.#steps, this.#options, key, fn, options);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    this.#steps.assertOpen();
    assertDeadline(deadline);
    return this.#schedule(deadline, chunkSize(options?.chunkSize));
  }

  async *#schedule(deadline: number, size: number): AsyncGenerator<ScheduleEntry> {
    for (;;) {
      const chunk = await this.#steps.run('claim', () => this.#store.claim(deadline, size));
      if (chunk.length === 0) return;
      yield* chunk;
    }
  }

  async maintenance(deadline: number): Promise<number> {
    this.#steps.assertOpen();
    assertDeadline(deadline);
    const moved = await this.#steps.run('requeue', (context) =>
      this.#store.requeue(deadline, context.now),
    );
    const { ttl } = this.#options;
    if (ttl !== undefined) {
      await this.#steps.run('expire', (context) =>
        this.#store.expire(context.now - ttl, context.now),
      );
    }
    return moved;
  }

  async flush(key: string): Promise<void> {
    this.#steps.assertOpen();
    assertValidKey(key);
    await this.#steps.run('flush', (context) => this.#store.flush(key, context.now));
  }

  async delete(key: string): Promise<void> {
    this.#steps.assertOpen();
    assertValidKey(key);
    await this.#steps.run('delete', () => this.#store.delete(key));
  }

  async inspect(key: string): Promise<TimelineInfo> {
    this.#steps.assertOpen();
    assertValidKey(key);
    const info = await this.#steps.run('inspect', () => this.#store.inspect(key));
    return {
      state: info.state,
      ...(info.state === 'absent' || info.score === undefined ? {} : { score: info.score }),
      size: info.size,
      ...(info.lastProcessed === undefined ? {} : { lastProcessed: info.lastProcessed }),
      ...(info.quarantined > 0 ? { quarantined: info.quarantined } : {}),
    };
  }

  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.#steps.assertOpen();
    assertValidKey(key);
    if (!Array.isArray(recordKeys)) {
      throw new ConfigurationError('remove needs an array of record keys');
    }
    for (const recordKey of recordKeys) assertValidKey(recordKey, 'record key');
    const unique = [...new Set(recordKeys)];
    if (unique.length === 0) return 0;
    return this.#steps.run('remove', (context) => this.#store.remove(key, unique, context.now));
  }

  async list(options?: ListOptions): Promise<ListPage> {
    this.#steps.assertOpen();
    const { state, after, limit } = checkListOptions(options);
    const entries = await this.#steps.run('list', () =>
      this.#store.list({
        ...(state === undefined ? {} : { state }),
        ...(after === undefined ? {} : { after }),
        limit: limit + 1,
      }),
    );
    if (entries.length <= limit) return { entries };
    const page = entries.slice(0, limit);
    const last = page[page.length - 1]!;
    return { entries: page, next: listCursor(last) };
  }

  /**
   * A page of the key's pending records (timeline and snapshot), newest
   * first, without digesting: values decoded, or `raw` when the codec
   * cannot decode them.
   *
   * @example
   * ```ts
   * let page = await backend.peek('mail:p:1', { limit: 50 });
   * while (page.next) page = await backend.peek('mail:p:1', { limit: 50, after: page.next });
   * ```
   */
  async peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    this.#steps.assertOpen();
    assertValidKey(key);
    const { after, limit } = checkPeekOptions(options);
    const stored = await this.#steps.run('peek', () =>
      this.#store.peek(key, { ...(after === undefined ? {} : { after }), limit: limit + 1 }),
    );
    const records = stored
      .slice(0, limit)
      .map(({ key: recordKey, timestamp, value, inSnapshot }) => {
        try {
          return {
            key: recordKey,
            timestamp,
            value: decodeValue(this.#options, value),
            inSnapshot,
          };
        } catch {
          return { key: recordKey, timestamp, raw: value, inSnapshot };
        }
      });
    if (stored.length <= limit) return { records };
    return { records, next: peekCursor(records[records.length - 1]!) };
  }

  async quarantined(key: string): Promise<QuarantinedRecord[]> {
    this.#steps.assertOpen();
    assertValidKey(key);
    const stored = await this.#steps.run('quarantined', () => this.#store.quarantined(key));
    return stored.map(({ key: recordKey, timestamp, value }) => ({
      key: recordKey,
      timestamp,
      value,
    }));
  }

  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    this.#steps.assertOpen();
    assertValidKey(key);
    if (recordKeys !== undefined) {
      if (!Array.isArray(recordKeys)) {
        throw new ConfigurationError('deleteQuarantined needs an array of record keys');
      }
      for (const recordKey of recordKeys) assertValidKey(recordKey, 'record key');
    }
    return this.#steps.run('deleteQuarantined', () =>
      this.#store.deleteQuarantined(key, recordKeys === undefined ? undefined : [...recordKeys]),
    );
  }

  /** Keys per state, records held and the next due time. */
  async stats(): Promise<BackendStats> {
    this.#steps.assertOpen();
    const { stats } = this.#store;
    if (stats === undefined) {
      throw new ConfigurationError(`${this.#store.description} cannot count itself`);
    }
    return this.#steps.run('stats', () => stats.call(this.#store));
  }

  /**
   * How many items the store holds for this backend (0: nothing left). The
   * conformance kit uses it to check that rejected input wrote nothing.
   */
  async storedItems(): Promise<number> {
    this.#steps.assertOpen();
    return this.#steps.run('storedItems', () => this.#store.storedItems());
  }

  /** Closes the store once; every later call rejects `BackendClosedError`. */
  close(): Promise<void> {
    return this.#steps.close();
  }
}
