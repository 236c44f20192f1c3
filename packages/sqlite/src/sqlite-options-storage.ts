import { SqlOptionsStorage } from '@digests/sql';
import { type SqliteConnectionOptions, sqliteStoreConfig } from './sqlite-store-config.js';

/**
 * Core's `OptionsStorage` on SQLite: one row per name in `<prefix>options`
 * (name and value as UTF-8 BLOBs), created by the same migrations as
 * `SqliteBackend`'s. A `database` given is never closed; a `filename` opened
 * is closed on `close()`. Reads never wait in WAL mode; a write waits for
 * the file's write lock like any other writer (`busyTimeout`).
 *
 * @example
 * ```ts
 * import { OptionsStore, registerDigestOptions } from '@digests/core';
 * import { SqliteOptionsStorage } from '@digests/sqlite';
 *
 * const store = new OptionsStore({ storage: new SqliteOptionsStorage({ filename: './digests.db' }) });
 * await store.set(registerDigestOptions(store.registry).enabled, false, 'mail:p:1');
 * ```
 */
export class SqliteOptionsStorage extends SqlOptionsStorage {
  constructor(options: SqliteConnectionOptions = {}) {
    super(sqliteStoreConfig(options, 'SqliteOptionsStorage', { checkpoints: false }));
  }
}
