import { randomUUID } from 'node:crypto';
import type { AddEntry, AddManySource } from './add-many.js';
import { checkAddMany } from './add-many.js';
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
import {
  BackendClosedError,
  BackendUnavailableError,
  CodecError,
  ConfigurationError,
  DigestsError,
  InvalidStateError,
  LeaseConflictError,
  LeaseLostError,
} from './errors.js';
import { type CheckedAdd, checkAdd, checkDigest, decodeValue } from './input.js';
import { assertValidKey } from './keys.js';
import { runLeasedDigest } from './leased-digest.js';
import { checkListOptions, listCursor } from './list-cursor.js';
import { globalDigestMetrics } from './metrics/global-metrics.js';
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
import { StepDeadlines } from './step-deadlines.js';
import type { DigestStore, StoreAdd, StoreContext, StoredRecord } from './store.js';

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
  readonly #deadlines: StepDeadlines;
  #closed: Promise<void> | undefined;

  constructor(store: DigestStore, options: BackendOptions<V> = {}) {
    this.#options = resolveOptions(options);
    this.#store = store;
    this.#deadlines = new StepDeadlines(this.#options.operationTimeout);
  }

  /** The options in effect, defaults applied. */
  get options(): ResolvedOptions<V> {
    return this.#options;
  }

  /** The store this backend runs on. */
  get store(): DigestStore {
    return this.#store;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    this.#open();
    const add = this.#storeAdd(checkAdd(key, record, options, this.#options));
    const firsts = await this.#step('add', (ctx) => this.#store.add([add], ctx));
    return firsts[0] === true;
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
    this.#open();
    const adds = checkAddMany(entries, options, this.#options).map((add) => this.#storeAdd(add));
    const size = this.#store.maxBatch ?? DEFAULT_MAX_BATCH;
    const results: boolean[] = [];
    for (let start = 0; start < adds.length; start += size) {
      const chunk = adds.slice(start, start + size);
      results.push(...(await this.#step('add', (ctx) => this.#store.add(chunk, ctx))));
    }
    return results;
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    this.#open();
    const checked = checkDigest(key, fn, options, this.#options);
    const { leaseDuration, capacity } = this.#options;
    const token = randomUUID();
    const opened = await this.#step('open', (ctx) =>
      this.#store.open({
        ...ctx,
        key: checked.key,
        token,
        expiresAt: ctx.now + leaseDuration,
        ...(capacity === undefined ? {} : { capacity }),
        ...(checked.limit === undefined ? {} : { limit: checked.limit }),
      }),
    );
    if (opened.outcome === 'conflict') {
      throw new LeaseConflictError(`another digest holds the lease of ${checked.key}`);
    }
    if (opened.outcome === 'not-ready') throw new InvalidStateError(`${checked.key} is not ready`);

    const { records, poisoned } = this.#decode(opened.records);
    if (poisoned.length > 0) {
      try {
        await this.#step('quarantine', () => this.#store.quarantine(checked.key, token, poisoned));
      } catch (error) {
        await this.#store.release(checked.key, token).catch(() => undefined);
        throw error;
      }
      globalDigestMetrics().quarantined(poisoned.length);
    }
    const delivered = checked.limit === undefined ? undefined : records.map((record) => record.key);
    return runLeasedDigest(
      {
        records,
        renew: () =>
          this.#step('renew', (ctx) =>
            this.#store.renew(checked.key, token, ctx.now + leaseDuration),
          ),
        release: () => this.#step('release', () => this.#store.release(checked.key, token)),
        commit: async () => {
          const ours = await this.#step('commit', (ctx) =>
            this.#store.commit({
              ...ctx,
              key: checked.key,
              token,
              minimumDelay: checked.minimumDelay,
              ...(delivered === undefined ? {} : { delivered }),
            }),
          );
          if (!ours) {
            throw new LeaseLostError(
              `the lease of ${checked.key} was taken by another digest; nothing was removed`,
            );
          }
        },
      },
      fn,
      leaseDuration,
    );
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    this.#open();
    assertDeadline(deadline);
    return this.#schedule(deadline, chunkSize(options?.chunkSize));
  }

  async *#schedule(deadline: number, size: number): AsyncGenerator<ScheduleEntry> {
    for (;;) {
      const chunk = await this.#step('claim', () => this.#store.claim(deadline, size));
      if (chunk.length === 0) return;
      yield* chunk;
    }
  }

  async maintenance(deadline: number): Promise<number> {
    this.#open();
    assertDeadline(deadline);
    const moved = await this.#step('requeue', (ctx) => this.#store.requeue(deadline, ctx.now));
    const { ttl } = this.#options;
    if (ttl !== undefined) {
      await this.#step('expire', (ctx) => this.#store.expire(ctx.now - ttl, ctx.now));
    }
    return moved;
  }

  async flush(key: string): Promise<void> {
    this.#open();
    assertValidKey(key);
    await this.#step('flush', (ctx) => this.#store.flush(key, ctx.now));
  }

  async delete(key: string): Promise<void> {
    this.#open();
    assertValidKey(key);
    await this.#step('delete', () => this.#store.delete(key));
  }

  async inspect(key: string): Promise<TimelineInfo> {
    this.#open();
    assertValidKey(key);
    const info = await this.#step('inspect', () => this.#store.inspect(key));
    return {
      state: info.state,
      ...(info.state === 'absent' || info.score === undefined ? {} : { score: info.score }),
      size: info.size,
      ...(info.lastProcessed === undefined ? {} : { lastProcessed: info.lastProcessed }),
      ...(info.quarantined > 0 ? { quarantined: info.quarantined } : {}),
    };
  }

  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    this.#open();
    assertValidKey(key);
    if (!Array.isArray(recordKeys)) {
      throw new ConfigurationError('remove needs an array of record keys');
    }
    for (const recordKey of recordKeys) assertValidKey(recordKey, 'record key');
    const unique = [...new Set(recordKeys)];
    if (unique.length === 0) return 0;
    return this.#step('remove', (ctx) => this.#store.remove(key, unique, ctx.now));
  }

  async list(options?: ListOptions): Promise<ListPage> {
    this.#open();
    const { state, after, limit } = checkListOptions(options);
    const entries = await this.#step('list', () =>
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
    this.#open();
    assertValidKey(key);
    const { after, limit } = checkPeekOptions(options);
    const stored = await this.#step('peek', () =>
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
    this.#open();
    assertValidKey(key);
    const stored = await this.#step('quarantined', () => this.#store.quarantined(key));
    return stored.map(({ key: recordKey, timestamp, value }) => ({
      key: recordKey,
      timestamp,
      value,
    }));
  }

  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    this.#open();
    assertValidKey(key);
    if (recordKeys !== undefined) {
      if (!Array.isArray(recordKeys)) {
        throw new ConfigurationError('deleteQuarantined needs an array of record keys');
      }
      for (const recordKey of recordKeys) assertValidKey(recordKey, 'record key');
    }
    return this.#step('deleteQuarantined', () =>
      this.#store.deleteQuarantined(key, recordKeys === undefined ? undefined : [...recordKeys]),
    );
  }

  /** Keys per state, records held and the next due time. */
  async stats(): Promise<BackendStats> {
    this.#open();
    const { stats } = this.#store;
    if (stats === undefined) {
      throw new ConfigurationError(`${this.#store.description} cannot count itself`);
    }
    return this.#step('stats', () => stats.call(this.#store));
  }

  /**
   * How many items the store holds for this backend (0: nothing left). The
   * conformance kit uses it to check that rejected input wrote nothing.
   */
  async storedItems(): Promise<number> {
    this.#open();
    return this.#step('storedItems', () => this.#store.storedItems());
  }

  /** Closes the store once; every later call rejects `BackendClosedError`. */
  close(): Promise<void> {
    this.#closed ??= this.#store.close();
    return this.#closed;
  }

  #open(): void {
    if (this.#closed !== undefined) {
      throw new BackendClosedError(`${this.#store.description} was closed`);
    }
  }

  #storeAdd(add: CheckedAdd): StoreAdd {
    const { capacity } = this.#options;
    // One object shape for every add (absent options are undefined, not
    // missing): stores read these on their hottest path.
    return {
      key: add.key,
      record: { key: add.recordKey, timestamp: add.timestamp, value: add.value },
      incrementDelay: add.incrementDelay,
      maximumDelay: add.maximumDelay,
      dueAt: add.dueAt,
      flushThreshold: add.flushThreshold,
      trimTo: add.truncate ? capacity : undefined,
    };
  }

  /** Decodes the snapshot; values the codec rejects are named for quarantine. */
  #decode(stored: readonly StoredRecord[]): {
    records: TimelineRecord<V>[];
    poisoned: string[];
  } {
    const records: TimelineRecord<V>[] = [];
    const poisoned: string[] = [];
    for (const { key, timestamp, value } of stored) {
      try {
        records.push({ key, timestamp, value: decodeValue(this.#options, value) });
      } catch (error) {
        if (!(error instanceof CodecError)) throw error;
        poisoned.push(key);
      }
    }
    return { records, poisoned };
  }

  /**
   * Runs one store step with a fresh clock reading, within
   * `operationTimeout`, reporting transient failures and timeouts as
   * `BackendUnavailableError`.
   */
  #step<T>(name: string, fn: (context: StoreContext) => Promise<T>): Promise<T> {
    const context: StoreContext = {
      now: this.#options.clock(),
      touch: this.#options.ttl !== undefined,
    };
    let pending: Promise<T>;
    try {
      pending = fn(context);
    } catch (error) {
      return Promise.reject(this.#failure(error));
    }
    // An in-process store cannot hang on I/O: no deadline to watch.
    if (this.#store.inProcess === true) return pending;
    return new Promise<T>((resolve, reject) => {
      const entry = this.#deadlines.watch(() =>
        reject(
          new BackendUnavailableError(
            `${this.#store.description} did not answer (${name}) within ${this.#options.operationTimeout} ms`,
          ),
        ),
      );
      pending.then(
        (value) => {
          this.#deadlines.settle(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.#deadlines.settle(entry);
          reject(this.#failure(error));
        },
      );
    });
  }

  #failure(error: unknown): unknown {
    if (error instanceof DigestsError) return error;
    if (this.#closed !== undefined) {
      return new BackendClosedError(`${this.#store.description} was closed`, { cause: error });
    }
    if (this.#store.isTransient?.(error) === true) {
      const reason = error instanceof Error ? error.message : String(error);
      return new BackendUnavailableError(`${this.#store.description} is unavailable: ${reason}`, {
        cause: error,
      });
    }
    return error;
  }
}
