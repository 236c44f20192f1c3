import type { BackendOptions } from '@digests/core';
import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';
import type { SqlBackend } from '../sql-backend.js';

/**
 * What an SQL adapter hands {@link runSqlAdapterCases}: fresh backends, and a
 * second, independent way into the store to read its tables directly.
 *
 * @example
 * ```ts
 * runSqlAdapterCases({
 *   name: 'sqlite',
 *   create: async (options) => new SqliteBackend({ ...options, filename: nextFile() }),
 *   tables: (backend) => openTables(backend),
 * });
 * ```
 */
export interface SqlAdapterTarget {
  readonly name: string;
  /** A fresh, empty backend; `tablePrefix` given when a case needs one. */
  create(options: BackendOptions<unknown> & { tablePrefix?: string }): Promise<SqlBackend<unknown>>;
  /**
   * Builds a backend on the same store as `backend` (same file or schema),
   * with other options, e.g. another prefix.
   */
  sibling(
    backend: SqlBackend<unknown>,
    options: BackendOptions<unknown> & { tablePrefix?: string },
  ): Promise<SqlBackend<unknown>>;
  /**
   * The backend's tables through a connection of the test's own (the
   * `TableNamesPlugin` applied), so a case checks what is really stored.
   */
  tables(backend: SqlBackend<unknown>): Promise<Kysely<DigestsDatabase>>;
  /**
   * The store marks a timeline's side of `records` by `timelines.live`
   * (`SqlDialectParts.liveSide`); otherwise the timeline is `snapshot = 0`.
   */
  readonly liveSide?: boolean;
}
