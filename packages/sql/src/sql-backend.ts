import { type BackendOptions, TableBackend } from '@digests/core';
import type { MigrationSummary } from './migrations.js';
import type { SqlStore } from './sql-store.js';
import type { TableNames } from './table-names.js';

/**
 * The front (`StoreBackend`) over a {@link SqlStore}, with what SQL users
 * reach for besides the contract (`migrate()`, `tableNames`, `storedRows()`,
 * from core's `TableBackend`). `PostgresBackend` and `SqliteBackend` extend it with their
 * connection options.
 *
 * @example
 * ```ts
 * class MyBackend<V> extends SqlBackend<V> {
 *   constructor(options: MyOptions<V>) { super(new SqlStore(myConfig(options)), options); }
 * }
 * ```
 */
export class SqlBackend<V = unknown> extends TableBackend<V, TableNames, MigrationSummary> {
  /** Only a {@link SqlStore}: its dialect parts are what the SQL tests and tools reach. */
  constructor(store: SqlStore, options: BackendOptions<V> = {}) {
    super(store, options);
  }
}
