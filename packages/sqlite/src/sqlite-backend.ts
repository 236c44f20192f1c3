import { type BackendOptions, resolveOptions } from '@digests/core';
import { SqlBackend, SqlStore } from '@digests/sql';
import { type SqliteConnectionOptions, sqliteStoreConfig } from './sqlite-store-config.js';

export type { SqliteDatabase } from './sqlite-store-config.js';

/**
 * Options of {@link SqliteBackend}: the shared ones plus where the data lives
 * (a `database` given is never closed; a `filename` opened is closed on `close()`).
 *
 * @example
 * ```ts
 * const options: SqliteBackendOptions = { filename: './digests.db', tablePrefix: 'app_digests_' };
 * ```
 */
export interface SqliteBackendOptions<V = unknown>
  extends BackendOptions<V>,
    SqliteConnectionOptions {}

/**
 * A digests backend on SQLite (better-sqlite3 + kysely): core's front over a
 * {@link SqlStore}. WAL mode, a busy timeout (capped by `operationTimeout`)
 * and `BEGIN IMMEDIATE` for every write make several processes on one file
 * safe. Use one backend per process and file: within a process, its
 * operations share one connection and queue on it.
 *
 * @example
 * ```ts
 * import { SqliteBackend } from '@digests/sqlite';
 *
 * const backend = new SqliteBackend({ filename: './digests.db', minimumDelay: 60_000 });
 * await backend.add('mail:p:1', { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() });
 * await backend.close();
 * ```
 */
export class SqliteBackend<V = unknown> extends SqlBackend<V> {
  constructor(options: SqliteBackendOptions<V> = {}) {
    const { operationTimeout } = resolveOptions(options);
    const config = sqliteStoreConfig({ ...options, operationTimeout }, 'SqliteBackend');
    super(new SqlStore(config), options);
  }
}
