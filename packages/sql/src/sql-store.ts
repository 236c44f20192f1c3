import type * as core from '@digests/core';
import { ADD_MANY_CHUNK, type SqlAdd, type SqlDelivered } from './dialect-parts.js';
import type { MigrationSummary } from './migrations.js';
import { releaseLease, renewLease } from './queries/lease.js';
import { listTimelines } from './queries/list.js';
import { expireTimelines, requeueStuck } from './queries/maintenance.js';
import { peekRecords } from './queries/peek.js';
import { deleteQuarantine, quarantineRecords, readQuarantine } from './queries/quarantine.js';
import { removeRecords } from './queries/remove.js';
import { claimDue } from './queries/schedule.js';
import { backendStats } from './queries/stats.js';
import {
  countStoredRows,
  deleteTimeline,
  flushTimeline,
  inspectTimeline,
} from './queries/timeline.js';
import { SqlRunner, type SqlStoreConfig } from './sql-runner.js';
import { encodedValue, keyText, storedKey, storedValue } from './stored-values.js';
import type { TableNames } from './table-names.js';

/** How many timelines one `ttl` step discards per transaction. */
const EXPIRE_CHUNK = 500;

/** What an open digest handed out, kept until its commit or release. */
interface Handed {
  readonly delivered: SqlDelivered;
}

/**
 * The digests store over the shared SQL schema: core's {@link core.DigestStore}
 * for `StoreBackend`. The hot steps (`add`, `open`, `commit`) are the
 * dialect's ({@link SqlDialectParts}: prepared statements on SQLite,
 * functions on PostgreSQL); every other step is a shared query. Keys are
 * stored as UTF-8 bytes and found by their SHA-256 ids.
 *
 * A digest reads only what it hands out: `open` merges the timeline into the
 * snapshot (each record is moved once), then reads the snapshot's oldest
 * `limit` records (timestamp, then record key) in index order. `commit`
 * removes exactly the handed records: they are the snapshot's oldest, so a
 * (timestamp, record key) bound names them; the rest wait for the next
 * digest.
 *
 * @example
 * ```ts
 * class MyBackend<V> extends SqlBackend<V> {
 *   constructor(options: MyOptions<V>) { super(new SqlStore(myConfig(options)), options); }
 * }
 * ```
 */
export class SqlStore implements core.DigestStore {
  readonly maxBatch = ADD_MANY_CHUNK;
  readonly #runner: SqlRunner;
  /** Per open digest (by lease token): which snapshot records its commit removes. */
  readonly #handed = new Map<string, Handed>();

  constructor(config: SqlStoreConfig) {
    this.#runner = new SqlRunner(config);
  }

  get description(): string {
    return this.#runner.config.description;
  }

  /** The physical table names of the store. */
  get tableNames(): TableNames {
    return this.#runner.names;
  }

  /** Brings the tables to the newest schema (idempotent). */
  migrate(): Promise<MigrationSummary> {
    return this.#runner.migrate();
  }

  add(adds: readonly core.StoreAdd[], context: core.StoreContext): Promise<boolean[]> {
    const inputs = adds.map(sqlAdd);
    return this.#runner.run((db, parts) => parts.add(db, inputs, context));
  }

  async open(request: core.OpenRequest): Promise<core.OpenResult> {
    const timelineId = storedKey(request.key).id;
    const opened = await this.#runner.run((db, parts) =>
      parts.open(db, {
        timelineId,
        token: request.token,
        now: request.now,
        expiresAt: request.expiresAt,
        touch: request.touch,
        capacity: request.capacity,
        limit: request.limit,
      }),
    );
    if (opened.outcome !== 'opened') return opened;
    const { rows } = opened;
    const last = rows[rows.length - 1];
    this.#handed.set(request.token, {
      delivered:
        request.limit === undefined
          ? { kind: 'all' }
          : last === undefined
            ? { kind: 'none' }
            : { kind: 'upTo', timestamp: last.timestamp, recordKey: last.record_key },
    });
    const records: core.StoredRecord[] = new Array(rows.length);
    // Read oldest first; handed newest first.
    for (let i = 0; i < rows.length; i++) {
      const row = rows[rows.length - 1 - i]!;
      records[i] = {
        key: keyText(row.record_key),
        timestamp: Number(row.timestamp),
        value: encodedValue(row),
      };
    }
    return { outcome: 'opened', records };
  }

  renew(key: string, token: string, expiresAt: number): Promise<boolean> {
    const { id } = storedKey(key);
    return this.#runner.run((db, parts) =>
      parts.write(db, (w) => renewLease(w, id, token, expiresAt)),
    );
  }

  async release(key: string, token: string): Promise<void> {
    this.#handed.delete(token);
    const { id } = storedKey(key);
    await this.#runner.run((db, parts) => parts.write(db, (w) => releaseLease(w, id, token)));
  }

  async quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void> {
    const { id } = storedKey(key);
    const ids = recordKeys.map((recordKey) => storedKey(recordKey).id);
    await this.#runner.run((db, parts) =>
      parts.transaction(db, (trx) =>
        quarantineRecords(trx, id, token, ids, parts.rowLocking, parts.liveSide),
      ),
    );
  }

  async commit(request: core.CommitRequest): Promise<boolean> {
    const handed = this.#handed.get(request.token);
    this.#handed.delete(request.token);
    // Only a limited digest names what it delivered, and then this store
    // remembers the bound it handed out; without it, the whole snapshot went.
    const delivered: SqlDelivered =
      request.delivered === undefined ? { kind: 'all' } : (handed?.delivered ?? { kind: 'all' });
    return this.#runner.run((db, parts) =>
      parts.commit(db, {
        timelineId: storedKey(request.key).id,
        token: request.token,
        now: request.now,
        touch: request.touch,
        minimumDelay: request.minimumDelay,
        delivered,
      }),
    );
  }

  claim(deadline: number, limit: number): Promise<core.ScheduleEntry[]> {
    return this.#runner.run((db, parts) =>
      parts.write(db, (w) => claimDue(w, deadline, limit, parts.rowLocking)),
    );
  }

  requeue(deadline: number, now: number): Promise<number> {
    return this.#runner.run((db, parts) =>
      parts.write(db, (w) => requeueStuck(w, deadline, now, parts.rowLocking)),
    );
  }

  expire(touchedBefore: number, now: number): Promise<number> {
    return this.#runner.run(async (db, parts) => {
      let expired = 0;
      for (;;) {
        const chunk = await parts.transaction(db, (trx) =>
          expireTimelines(trx, touchedBefore, now, EXPIRE_CHUNK, parts.rowLocking),
        );
        expired += chunk;
        if (chunk < EXPIRE_CHUNK) return expired;
      }
    });
  }

  async flush(key: string, now: number): Promise<void> {
    const { id } = storedKey(key);
    await this.#runner.run((db, parts) => parts.write(db, (w) => flushTimeline(w, id, now)));
  }

  async delete(key: string): Promise<void> {
    const { id } = storedKey(key);
    await this.#runner.run((db, parts) => parts.transaction(db, (trx) => deleteTimeline(trx, id)));
  }

  inspect(key: string): Promise<core.StoreInfo> {
    const { id } = storedKey(key);
    return this.#runner.run((db) => inspectTimeline(db, id));
  }

  remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    const { id } = storedKey(key);
    const ids = recordKeys.map((recordKey) => storedKey(recordKey).id);
    return this.#runner.run((db, parts) =>
      parts.transaction(db, (trx) =>
        removeRecords(trx, id, ids, now, parts.rowLocking, parts.liveSide),
      ),
    );
  }

  list(request: core.ListRequest): Promise<core.ListEntry[]> {
    return this.#runner.run((db) => listTimelines(db, request));
  }

  async quarantined(key: string): Promise<core.StoredRecord[]> {
    const { id } = storedKey(key);
    const rows = await this.#runner.run((db) => readQuarantine(db, id));
    return rows.map((row) => ({
      key: keyText(row.record_key),
      timestamp: Number(row.timestamp),
      value: encodedValue(row),
    }));
  }

  deleteQuarantined(key: string, recordKeys: readonly string[] | undefined): Promise<number> {
    const { id } = storedKey(key);
    const ids = recordKeys?.map((recordKey) => storedKey(recordKey).id);
    return this.#runner.run((db, parts) => parts.write(db, (w) => deleteQuarantine(w, id, ids)));
  }

  async peek(key: string, request: core.PeekRequest): Promise<core.PeekedStoredRecord[]> {
    const { id } = storedKey(key);
    const rows = await this.#runner.run((db, parts) =>
      peekRecords(db, id, request, parts.liveSide),
    );
    return rows.map((row) => ({
      key: keyText(row.record_key),
      timestamp: Number(row.timestamp),
      value: encodedValue(row),
      inSnapshot: Number(row.snapshot) === 1,
    }));
  }

  stats(): Promise<core.BackendStats> {
    return this.#runner.run((db) => backendStats(db));
  }

  storedItems(): Promise<number> {
    return this.#runner.run((db) => countStoredRows(db));
  }

  isTransient(error: unknown): boolean {
    return this.#runner.config.parts.isTransient(error);
  }

  close(): Promise<void> {
    this.#handed.clear();
    return this.#runner.close();
  }
}

/** A checked, encoded add in the form the SQL tables hold. */
function sqlAdd(add: core.StoreAdd): SqlAdd {
  const value = storedValue(add.record.value);
  return {
    key: storedKey(add.key),
    recordKey: storedKey(add.record.key),
    value: value.value,
    valueIsText: value.value_is_text,
    timestamp: add.record.timestamp,
    incrementDelay: add.incrementDelay,
    maximumDelay: add.maximumDelay,
    dueAt: add.dueAt,
    flushThreshold: add.flushThreshold,
    trimTo: add.trimTo,
  };
}
