import { SqlOptionsStorage } from '@digests/sql';
import { type PostgresConnectionOptions, postgresStoreConfig } from './postgres-store-config.js';

/**
 * Core's `OptionsStorage` on PostgreSQL: one row per name in
 * `<schema>.<prefix>options` (name and value as `bytea` UTF-8, so names may
 * hold NUL), created by the same migrations as `PostgresBackend`'s. A `pool`
 * or `db` given is never ended; a pool opened from `connectionString` is
 * ended on `close()`.
 *
 * @example
 * ```ts
 * import { OptionsStore, registerDigestOptions } from '@digests/core';
 * import { PostgresOptionsStorage } from '@digests/postgres';
 *
 * const store = new OptionsStore({ storage: new PostgresOptionsStorage({ pool, schema: 'app' }) });
 * await store.set(registerDigestOptions(store.registry).enabled, false, 'mail:p:1');
 * ```
 */
export class PostgresOptionsStorage extends SqlOptionsStorage {
  constructor(options: PostgresConnectionOptions = {}) {
    super(postgresStoreConfig(options, 'PostgresOptionsStorage'));
  }
}
