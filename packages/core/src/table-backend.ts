import type { BackendOptions } from './options.js';
import type { DigestStore } from './store.js';
import { StoreBackend } from './store-backend.js';

/**
 * A {@link DigestStore} kept in tables (SQLite, PostgreSQL, MySQL, a third
 * party's): it names its tables and brings them to the newest schema.
 *
 * @typeParam N - the store's table names.
 * @typeParam M - what a migration run reports.
 *
 * @example
 * ```ts
 * class MyStore implements TableStore<MyTableNames, MyMigrationSummary> {
 *   get tableNames() { return this.#names; }
 *   migrate() { return this.#migrator.latest(); }
 *   // … the DigestStore steps
 * }
 * ```
 */
export interface TableStore<N, M> extends DigestStore {
  /** The physical table names the store uses. */
  readonly tableNames: N;
  /** Creates or upgrades the tables (idempotent). */
  migrate(): Promise<M>;
}

/**
 * The front (`StoreBackend`) over a {@link TableStore}, with what users of a
 * table store reach for besides the contract: `tableNames`, `migrate()` and
 * `storedRows()`. The SQL backends and `MysqlBackend` extend it with their
 * connection options.
 *
 * @example
 * ```ts
 * class MyBackend<V> extends TableBackend<V, MyTableNames, MyMigrationSummary> {
 *   constructor(options: MyOptions<V>) { super(new MyStore(options), options); }
 * }
 * const { applied } = await new MyBackend({ autoMigrate: false }).migrate();
 * ```
 */
export class TableBackend<V, N, M> extends StoreBackend<V> {
  readonly #tables: TableStore<N, M>;

  constructor(store: TableStore<N, M>, options: BackendOptions<V> = {}) {
    super(store, options);
    this.#tables = store;
  }

  /** The physical table names this backend uses (`digests_timelines`, …). */
  get tableNames(): N {
    return this.#tables.tableNames;
  }

  /**
   * Creates or upgrades the tables (idempotent). `autoMigrate` runs it before
   * the first operation; run it from a deploy script with
   * `autoMigrate: false` to keep DDL out of the application's hot path.
   */
  migrate(): Promise<M> {
    return this.#tables.migrate();
  }

  /**
   * Rows held in the backend's tables (timelines, records, quarantined
   * values; not the migration tables): 0 means it holds nothing. The same as
   * `storedItems()`.
   */
  storedRows(): Promise<number> {
    return this.storedItems();
  }
}
