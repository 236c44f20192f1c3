import { type BackendOptions, resolveOptions, TableBackend } from '@digests/core';
import type { MigrationSummary } from './migrations.js';
import { MysqlStore } from './mysql-store.js';
import { type MysqlConnectionOptions, mysqlStoreConfig } from './mysql-store-config.js';
import type { TableNames } from './table-names.js';

/**
 * Options of {@link MysqlBackend}: the shared ones, one way to reach the
 * server, and the table prefix.
 *
 * @example
 * ```ts
 * const options: MysqlBackendOptions = { url: 'mysql://root@127.0.0.1:3306/test', tablePrefix: 'app_' };
 * ```
 */
export interface MysqlBackendOptions<V = unknown>
  extends BackendOptions<V>,
    MysqlConnectionOptions {}

/**
 * A digests backend on MySQL 8 / MariaDB 10.6+ (mysql2 + kysely): the one
 * front of `@digests/core` over a {@link MysqlStore}. Each step is one
 * transaction; due keys are claimed with `FOR UPDATE SKIP LOCKED`; the
 * caller's function runs with no transaction open.
 *
 * @example
 * ```ts
 * import { MysqlBackend } from '@digests/mysql';
 *
 * const backend = new MysqlBackend({ url: 'mysql://root@127.0.0.1:3306/test', minimumDelay: 60_000 });
 * await backend.add('mail:p:1', { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() });
 * await backend.close();
 * ```
 */
export class MysqlBackend<V = unknown> extends TableBackend<V, TableNames, MigrationSummary> {
  constructor(options: MysqlBackendOptions<V> = {}) {
    // Every option is checked before a pool exists, so a bad option leaks nothing.
    resolveOptions(options);
    super(new MysqlStore(mysqlStoreConfig(options)), options);
  }
}
