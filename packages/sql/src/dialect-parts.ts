import type { StoreContext } from '@digests/core';
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './migrations.js';
import type { DigestsDatabase } from './schema.js';
import type { StoredKey } from './stored-values.js';
import type { TableNames } from './table-names.js';

/**
 * The most adds one {@link SqlDialectParts.add} call receives (the store's
 * `maxBatch`): a larger batch goes in several calls, in order.
 *
 * @example
 * ```ts
 * for (let i = 0; i < adds.length; i += ADD_MANY_CHUNK) await parts.add(db, adds.slice(i, i + ADD_MANY_CHUNK), context);
 * ```
 */
export const ADD_MANY_CHUNK = 1000;

/**
 * One add as the SQL stores receive it: keys as bytes with their SHA-256
 * ids, the value in its stored form; the schedule inputs as the front
 * resolved them.
 *
 * @example
 * ```ts
 * const add: SqlAdd = { key: storedKey('k'), recordKey: storedKey('e1'), value, valueIsText: 1, timestamp, incrementDelay: 30_000, maximumDelay: 1_800_000 };
 * ```
 */
export interface SqlAdd {
  readonly key: StoredKey;
  readonly recordKey: StoredKey;
  readonly value: Uint8Array;
  readonly valueIsText: number;
  readonly timestamp: number;
  readonly incrementDelay: number;
  readonly maximumDelay: number;
  readonly dueAt: number | undefined;
  readonly flushThreshold: number | undefined;
  /** Keep the timeline's newest `trimTo` records; `undefined`: do not trim. */
  readonly trimTo: number | undefined;
}

/**
 * A digest to open: take the lease, merge a left-over snapshot with the
 * timeline, and hand the oldest `limit` records.
 *
 * @example
 * ```ts
 * const opened = await parts.open(db, { timelineId, token, now, expiresAt, touch: false, capacity: undefined, limit: 1000 });
 * ```
 */
export interface SqlOpen {
  readonly timelineId: Uint8Array;
  readonly token: string;
  readonly now: number;
  readonly expiresAt: number;
  readonly touch: boolean;
  readonly capacity: number | undefined;
  readonly limit: number | undefined;
}

/** A record as a digest reads it from the tables. */
export interface SnapshotRow {
  readonly record_key: Uint8Array;
  readonly value: Uint8Array;
  readonly value_is_text: number;
  readonly timestamp: number;
}

/**
 * What opening found. `rows` are the records handed to the digest, oldest
 * first (timestamp, then record key bytes); `more` says the snapshot holds
 * records past them (the digest was limited).
 */
export type SqlOpened =
  | { readonly outcome: 'conflict' }
  | { readonly outcome: 'not-ready' }
  | { readonly outcome: 'opened'; readonly rows: readonly SnapshotRow[]; readonly more: boolean };

/**
 * Which snapshot records a commit removes:
 * - `all`: the whole snapshot (an unlimited digest);
 * - `upTo`: every snapshot record at or before this (timestamp, record key)
 *   — exactly the records a limited digest handed out, which were the
 *   oldest of the timeline;
 * - `none`: nothing (a limited digest that handed out nothing).
 */
export type SqlDelivered =
  | { readonly kind: 'all' }
  | { readonly kind: 'upTo'; readonly timestamp: number; readonly recordKey: Uint8Array }
  | { readonly kind: 'none' };

/**
 * A digest to commit (see `DigestStore.commit`).
 *
 * @example
 * ```ts
 * const ours = await parts.commit(db, { timelineId, token, now, touch: false, minimumDelay: 0, delivered: { kind: 'all' } });
 * ```
 */
export interface SqlCommit {
  readonly timelineId: Uint8Array;
  readonly token: string;
  readonly now: number;
  readonly touch: boolean;
  readonly minimumDelay: number;
  readonly delivered: SqlDelivered;
}

/**
 * What differs between SQL stores: the hot steps (`add`, `open`, `commit`,
 * each one transaction or one statement), how writes run, and which errors
 * are transient. Every other step is a shared query.
 *
 * @example
 * ```ts
 * const store = new SqlStore({ parts: sqliteDialectParts(direct), ... });
 * ```
 */
export interface SqlDialectParts {
  /** `'postgres'` or `'sqlite'`, for messages. */
  readonly name: string;
  readonly columnTypes: ColumnTypes;
  /**
   * PostgreSQL: lock a timeline row (`FOR UPDATE`) before changing it, and
   * claim rows with `SKIP LOCKED`. SQLite: no row locks; the write
   * transaction already excludes every other writer.
   */
  readonly rowLocking: boolean;
  /**
   * PostgreSQL and SQLite: `timelines.live` (0 or 1) names the side of
   * `records` that holds the timeline, the other side is the snapshot, so
   * opening a digest flips one column instead of moving every record.
   * Absent or false: the timeline is `snapshot = 0`, the snapshot
   * `snapshot = 1`.
   */
  readonly liveSide?: boolean;
  /** Migrations this dialect adds after the shared ones (e.g. functions, indexes). */
  migrations(names: TableNames): Record<string, Migration>;
  /** Runs the migrator with whatever exclusion the store needs. */
  migrate<T>(db: Kysely<unknown>, run: (db: Kysely<unknown>) => Promise<T>): Promise<T>;
  /** Runs `fn` in one write transaction; retries what the store says is safe to retry. */
  transaction<T>(
    db: Kysely<DigestsDatabase>,
    fn: (trx: Kysely<DigestsDatabase>) => Promise<T>,
  ): Promise<T>;
  /** Runs one write statement (autocommit where that is atomic and safe). */
  write<T>(
    db: Kysely<DigestsDatabase>,
    fn: (db: Kysely<DigestsDatabase>) => Promise<T>,
  ): Promise<T>;
  /**
   * Applies each add in order (at most {@link ADD_MANY_CHUNK}), each
   * atomically: store the record, trim, apply core's `scheduleAfterAdd`.
   * Resolves each add's `first`. The store may make the whole call atomic.
   */
  add(
    db: Kysely<DigestsDatabase>,
    adds: readonly SqlAdd[],
    context: StoreContext,
  ): Promise<boolean[]>;
  /** `DigestStore.open` in one transaction or statement. */
  open(db: Kysely<DigestsDatabase>, request: SqlOpen): Promise<SqlOpened>;
  /** `DigestStore.commit` in one transaction or statement; resolves whether the lease was ours. */
  commit(db: Kysely<DigestsDatabase>, request: SqlCommit): Promise<boolean>;
  /** Whether an error means the store could not be reached or timed out (safe to retry). */
  isTransient(error: unknown): boolean;
}
