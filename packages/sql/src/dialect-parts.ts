import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './migrations.js';
import type { DigestsDatabase } from './schema.js';
import type { StoredKey } from './stored-values.js';
import type { TableNames } from './table-names.js';

/**
 * The most adds one {@link SqlDialectParts.addMany} call receives: a larger
 * batch goes in several calls, in order.
 *
 * @example
 * ```ts
 * for (let i = 0; i < inputs.length; i += ADD_MANY_CHUNK) await parts.addMany(db, inputs.slice(i, i + ADD_MANY_CHUNK));
 * ```
 */
export const ADD_MANY_CHUNK = 1000;

/** An `add` that passed core's checks, as the store receives it. */
export interface AddInput {
  readonly key: StoredKey;
  readonly recordKey: StoredKey;
  readonly value: Uint8Array;
  readonly valueIsText: number;
  readonly timestamp: number;
  readonly now: number;
  /**
   * Whether `touched_at` must move to `now`. Only `ttl` reads it, so a
   * backend without `ttl` passes `false` and an add to a ready timeline can
   * leave the timeline row alone (a new row still records `now`).
   */
  readonly touch: boolean;
  readonly incrementDelay: number;
  readonly maximumDelay: number;
  /** Trim the timeline to this many newest records; `undefined`: do not trim. */
  readonly trimTo: number | undefined;
}

/**
 * What differs between SQL stores; everything else is in the shared queries.
 *
 * @example
 * ```ts
 * const backend = new SqlBackend({ parts: sqliteDialectParts(), ... });
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
  /** Migrations this dialect adds after the shared ones (e.g. a function). */
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
  /** Stores a record and updates the schedule atomically; resolves whether the key was absent. */
  add(db: Kysely<DigestsDatabase>, input: AddInput): Promise<boolean>;
  /**
   * `add` for each input in order (at most {@link ADD_MANY_CHUNK} of them),
   * in as few round trips as the store allows; resolves each add's result,
   * in input order. Each add is atomic; the store may make the whole call
   * atomic (SQLite does).
   */
  addMany(db: Kysely<DigestsDatabase>, inputs: readonly AddInput[]): Promise<boolean[]>;
  /** Whether an error means the store could not be reached (safe to retry). */
  isTransient(error: unknown): boolean;
}
