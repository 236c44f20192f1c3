import { randomUUID } from 'node:crypto';
import {
  type AddEntry,
  type AddManySource,
  type AddOptions,
  assertDeadline,
  assertValidKey,
  type Backend,
  type BackendStats,
  type CheckedAdd,
  checkAdd,
  checkAddMany,
  checkDigest,
  chunkSize,
  type DigestFunction,
  type DigestOptions,
  type DigestSession,
  decodeRecords,
  LeaseLostError,
  type ResolvedOptions,
  runLeasedDigest,
  type ScheduleEntry,
  type ScheduleOptions,
  type StatsSource,
  type TimelineInfo,
  type TimelineRecord,
} from '@digests/core';
import type { Kysely } from 'kysely';
import { ADD_MANY_CHUNK, type AddInput, type SqlDialectParts } from './dialect-parts.js';
import type { MigrationSummary } from './migrations.js';
import { commitDigest } from './queries/commit-digest.js';
import { releaseLease, renewLease } from './queries/lease.js';
import { expireTimelines, requeueStuck } from './queries/maintenance.js';
import { openDigest } from './queries/open-digest.js';
import { claimDue } from './queries/schedule.js';
import { backendStats } from './queries/stats.js';
import {
  countStoredRows,
  deleteTimeline,
  flushTimeline,
  inspectTimeline,
} from './queries/timeline.js';
import type { DigestsDatabase } from './schema.js';
import { SqlStore, type SqlStoreConfig } from './sql-store.js';
import { encodedValue, keyText, storedKey, storedValue } from './stored-values.js';
import type { TableNames } from './table-names.js';

/** How many timelines one `ttl` step discards. */
const EXPIRE_CHUNK = 500;

/** Everything a {@link SqlBackend} runs on; the adapters build it from their options. */
export interface SqlBackendConfig<V> extends SqlStoreConfig {
  readonly options: ResolvedOptions<V>;
}

/**
 * The digests contract over the shared SQL schema. `PostgresBackend` and
 * `SqliteBackend` extend it with their connection options and
 * {@link SqlDialectParts}; every rule is here once, in the same order as the
 * memory backend's.
 *
 * @example
 * ```ts
 * class MyBackend<V> extends SqlBackend<V> {
 *   constructor(options: MyOptions<V>) { super(myConfig(options)); }
 * }
 * ```
 */
export class SqlBackend<V = unknown> implements Backend<V>, AddManySource<V>, StatsSource {
  readonly #config: SqlBackendConfig<V>;
  readonly #store: SqlStore;

  constructor(config: SqlBackendConfig<V>) {
    this.#config = config;
    this.#store = new SqlStore(config);
  }

  /** The options in effect, defaults applied. */
  get options(): ResolvedOptions<V> {
    return this.#config.options;
  }

  /** The physical table names this backend uses. */
  get tableNames(): TableNames {
    return this.#config.names;
  }

  /**
   * Brings the tables to the newest schema (idempotent). `autoMigrate` runs
   * it before the first operation.
   */
  migrate(): Promise<MigrationSummary> {
    return this.#store.migrate();
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    const input = this.#input(checkAdd(key, record, options, this.options));
    return this.#run((db, parts) => parts.add(db, input));
  }

  /**
   * `add` on each entry in order, every entry checked and encoded before
   * the first write (one bad entry writes nothing). The store receives at
   * most {@link ADD_MANY_CHUNK} entries per call: SQLite applies each chunk
   * in one transaction, PostgreSQL in one statement (`<prefix>add_many`).
   * Resolves what each `add` would have, in entry order.
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
    const inputs = checkAddMany(entries, options, this.options).map((add) => this.#input(add));
    const results: boolean[] = [];
    for (let start = 0; start < inputs.length; start += ADD_MANY_CHUNK) {
      const chunk = inputs.slice(start, start + ADD_MANY_CHUNK);
      results.push(...(await this.#run((db, parts) => parts.addMany(db, chunk))));
    }
    return results;
  }

  /** A checked add as the store receives it: keys hashed, the value in its stored form. */
  #input(add: CheckedAdd): AddInput {
    const value = storedValue(add.value);
    return {
      key: storedKey(add.key),
      recordKey: storedKey(add.recordKey),
      value: value.value,
      valueIsText: value.value_is_text,
      timestamp: add.timestamp,
      now: this.options.clock(),
      touch: this.options.ttl !== undefined,
      incrementDelay: add.incrementDelay,
      maximumDelay: add.maximumDelay,
      trimTo: add.truncate ? this.options.capacity : undefined,
    };
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    const checked = checkDigest(key, fn, options, this.options);
    const session = await this.#open(checked.key, checked.minimumDelay);
    return runLeasedDigest(session, fn, this.options.leaseDuration);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    assertDeadline(deadline);
    return this.#schedule(deadline, chunkSize(options?.chunkSize));
  }

  async maintenance(deadline: number): Promise<number> {
    assertDeadline(deadline);
    return this.#run(async (db, parts) => {
      const now = this.options.clock();
      const moved = await parts.write(db, (w) => requeueStuck(w, deadline, now, parts.rowLocking));
      const { ttl } = this.options;
      if (ttl !== undefined) {
        while (
          (await parts.transaction(db, (trx) =>
            expireTimelines(trx, now - ttl, now, EXPIRE_CHUNK, parts.rowLocking),
          )) === EXPIRE_CHUNK
        );
      }
      return moved;
    });
  }

  async flush(key: string): Promise<void> {
    assertValidKey(key);
    await this.#run((db, parts) =>
      parts.write(db, (w) => flushTimeline(w, storedKey(key).id, this.options.clock())),
    );
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.#run((db, parts) =>
      parts.transaction(db, (trx) => deleteTimeline(trx, storedKey(key).id)),
    );
  }

  async inspect(key: string): Promise<TimelineInfo> {
    assertValidKey(key);
    return this.#run((db) => inspectTimeline(db, storedKey(key).id));
  }

  /** Keys per state, records held and the next due time (see `StatsSource`). */
  async stats(): Promise<BackendStats> {
    return this.#run((db) => backendStats(db));
  }

  /**
   * Rows in this backend's tables (timelines plus records; not the migration
   * tables). 0 means the backend holds nothing.
   */
  async storedRows(): Promise<number> {
    return this.#run((db) => countStoredRows(db));
  }

  async close(): Promise<void> {
    await this.#store.close();
  }

  async *#schedule(deadline: number, size: number): AsyncGenerator<ScheduleEntry> {
    for (;;) {
      const chunk = await this.#run((db, parts) =>
        parts.write(db, (w) => claimDue(w, deadline, size, parts.rowLocking)),
      );
      if (chunk.length === 0) return;
      yield* chunk;
    }
  }

  async #open(key: string, minimumDelay: number): Promise<DigestSession<V>> {
    const { id } = storedKey(key);
    const token = randomUUID();
    const { clock, leaseDuration, capacity } = this.options;
    const rows = await this.#run((db, parts) =>
      parts.transaction(db, (trx) => {
        const now = clock();
        return openDigest(trx, {
          timelineId: id,
          keyText: key,
          now,
          token,
          expiresAt: now + leaseDuration,
          capacity,
          rowLocking: parts.rowLocking,
        });
      }),
    );
    const release = () =>
      this.#run((db, parts) => parts.write(db, (w) => releaseLease(w, id, token)));
    let records: TimelineRecord<V>[];
    try {
      records = decodeRecords(
        this.options,
        rows.map((row) => ({
          key: keyText(row.record_key),
          timestamp: row.timestamp,
          value: encodedValue(row),
        })),
      );
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
    return {
      records,
      renew: () =>
        this.#run((db, parts) =>
          parts.write(db, (w) => renewLease(w, id, token, clock() + leaseDuration)),
        ),
      release,
      commit: async () => {
        const ours = await this.#run((db, parts) =>
          parts.transaction(db, (trx) =>
            commitDigest(trx, {
              timelineId: id,
              token,
              now: clock(),
              minimumDelay,
              rowLocking: parts.rowLocking,
            }),
          ),
        );
        if (!ours) {
          throw new LeaseLostError(
            `the lease of ${key} was taken by another digest; nothing was removed`,
          );
        }
      },
    };
  }

  /** Migrates once if asked to, then runs `fn`, mapping transient failures. */
  #run<T>(fn: (db: Kysely<DigestsDatabase>, parts: SqlDialectParts) => Promise<T>): Promise<T> {
    return this.#store.run(fn);
  }
}
