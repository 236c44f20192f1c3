import { type BackendOptions, StoreBackend } from '@digests/core';
import type { MigrationSummary } from './migrations.js';
import type { SqlStore } from './sql-store.js';
import type { TableNames } from './table-names.js';

/**
 * The front (`StoreBackend`) over a {@link SqlStore}, with what SQL users
 * reach for besides the contract: `migrate()`, `tableNames` and
 * `storedRows()`. `PostgresBackend` and `SqliteBackend` extend it with their
 * connection options.
 *
 * @example
 * ```ts
 * class MyBackend<V> extends SqlBackend<V> {
 *   constructor(options: MyOptions<V>) { super(new SqlStore(myConfig(options)), options); }
 * }
 * ```
 */
export class SqlBackend<V = unknown> extends StoreBackend<V> {
  readonly #sql: SqlStore;

  constructor(store: SqlStore, options: BackendOptions<V> = {}) {
    super(store, options);
    this.#sql = store;
  }

  /** The physical table names this backend uses. */
  get tableNames(): TableNames {
    return this.#sql.names;
  }

  /**
   * Brings the tables to the newest schema (idempotent). `autoMigrate` runs
   * it before the first operation.
   */
  migrate(): Promise<MigrationSummary> {
    return this.#sql.migrate();
  }

  /**
   * Rows in this backend's tables (timelines, records, quarantined values;
   * not the migration tables). 0 means the backend holds nothing.
   */
  storedRows(): Promise<number> {
    return this.storedItems();
  }
}
