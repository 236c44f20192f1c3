import { type BackendOptions, ConfigurationError, resolveOptions } from '@digests/core';
import {
  type DigestsDatabase,
  SqlBackend,
  type SqlBackendConfig,
  TableNamesPlugin,
  tableNames,
} from '@digests/sql';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { DirectConnection } from './direct-connection.js';
import { sqliteDialectParts } from './sqlite-dialect-parts.js';
import { withStatementCache } from './statement-cache.js';

/** The part of a better-sqlite3 `Database` the backend uses. */
export type SqliteDatabase = Database.Database;

/**
 * Options of {@link SqliteBackend}: the shared ones plus where the data lives.
 *
 * @example
 * ```ts
 * const options: SqliteBackendOptions = { filename: './digests.db', tablePrefix: 'app_digests_' };
 * ```
 */
export interface SqliteBackendOptions<V = unknown> extends BackendOptions<V> {
  /** An open better-sqlite3 database; the backend never closes it. */
  readonly database?: SqliteDatabase;
  /** A file to open (`':memory:'` allowed); the backend closes it on `close()`. */
  readonly filename?: string;
  /** Prefix of every table and index. Default `'digests_'`. */
  readonly tablePrefix?: string;
  /** Create or upgrade the tables before the first operation. Default `true`. */
  readonly autoMigrate?: boolean;
  /** How long a write waits for another connection's lock, in ms. Default 5000. */
  readonly busyTimeout?: number;
}

/**
 * A digests backend on SQLite (better-sqlite3 + kysely). WAL mode, a busy
 * timeout and `BEGIN IMMEDIATE` for every write make several processes on one
 * file safe. Use one backend per process and file: within a process, its
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
    super(sqliteConfig(options));
  }
}

function sqliteConfig<V>(options: SqliteBackendOptions<V>): SqlBackendConfig<V> {
  const resolved = resolveOptions(options);
  const names = tableNames({ tablePrefix: options.tablePrefix ?? 'digests_' });
  const { database, filename, busyTimeout = 5000 } = options;
  if ((database === undefined) === (filename === undefined)) {
    throw new ConfigurationError('SqliteBackend needs exactly one of database or filename');
  }
  if (filename !== undefined && (typeof filename !== 'string' || filename === '')) {
    throw new ConfigurationError('filename must be a non-empty string');
  }
  if (database !== undefined && typeof database?.prepare !== 'function') {
    throw new ConfigurationError('database must be a better-sqlite3 Database');
  }
  if (!Number.isSafeInteger(busyTimeout) || busyTimeout < 0) {
    throw new ConfigurationError(`busyTimeout must be an integer ≥ 0, got ${String(busyTimeout)}`);
  }
  const autoMigrate = options.autoMigrate ?? true;
  if (typeof autoMigrate !== 'boolean')
    throw new ConfigurationError('autoMigrate must be a boolean');

  const direct = new DirectConnection(names);
  const open = async () => {
    const db = direct.attach(database ?? new Database(filename as string));
    db.pragma(`busy_timeout = ${busyTimeout}`);
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: durable across process crashes; a power loss may lose the last commits.
    if (database === undefined) db.pragma('synchronous = NORMAL');
    return withStatementCache(db);
  };
  const kysely = new Kysely<DigestsDatabase>({ dialect: new SqliteDialect({ database: open }) });
  return {
    db: kysely.withPlugin(new TableNamesPlugin(names)),
    migrationDb: kysely as Kysely<unknown>,
    names,
    parts: sqliteDialectParts(direct),
    options: resolved,
    autoMigrate,
    // kysely's driver closes the database it holds: only do that for our own.
    close: database === undefined ? () => kysely.destroy() : async () => undefined,
  };
}
