import { type BackendOptions, resolveOptions } from '@digests/core';
import { SqlBackend, SqlStore } from '@digests/sql';
import { type PostgresConnectionOptions, postgresStoreConfig } from './postgres-store-config.js';

/**
 * Options of {@link PostgresBackend}: the shared ones, one way to reach the
 * server, and where the tables live.
 *
 * @example
 * ```ts
 * const options: PostgresBackendOptions = { connectionString: process.env.DATABASE_URL, schema: 'app' };
 * ```
 */
export interface PostgresBackendOptions<V = unknown>
  extends BackendOptions<V>,
    PostgresConnectionOptions {}

/**
 * A digests backend on PostgreSQL (pg + kysely): core's front over a
 * {@link SqlStore}. `add` is one statement; `schedule` claims due timelines
 * with `FOR UPDATE SKIP LOCKED`; a digest opens with one statement and
 * commits with another, never holding a transaction while the caller's
 * function runs.
 *
 * @example
 * ```ts
 * import { PostgresBackend } from '@digests/postgres';
 *
 * const backend = new PostgresBackend({ connectionString: 'postgres://localhost/app', minimumDelay: 60_000 });
 * await backend.add('mail:p:1', { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() });
 * await backend.close();
 * ```
 */
export class PostgresBackend<V = unknown> extends SqlBackend<V> {
  constructor(options: PostgresBackendOptions<V> = {}) {
    const { operationTimeout } = resolveOptions(options);
    const config = postgresStoreConfig({ ...options, operationTimeout }, 'PostgresBackend');
    super(new SqlStore(config), options);
  }
}
