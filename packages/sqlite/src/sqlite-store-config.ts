import { ConfigurationError } from '@digests/core';
import {
  type DigestsDatabase,
  type SqlStoreConfig,
  TableNamesPlugin,
  TimedDialect,
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
 * Where a SQLite backend or options storage keeps its tables.
 *
 * @example
 * ```ts
 * const options: SqliteConnectionOptions = { filename: './digests.db', tablePrefix: 'app_digests_' };
 * ```
 */
export interface SqliteConnectionOptions {
  /** An open better-sqlite3 database; never closed. */
  readonly database?: SqliteDatabase;
  /** A file to open (`':memory:'` allowed); closed on `close()`. */
  readonly filename?: string;
  /** Prefix of every table and index. Default `'digests_'`. */
  readonly tablePrefix?: string;
  /** Create or upgrade the tables before the first operation. Default `true`. */
  readonly autoMigrate?: boolean;
  /** How long a write waits for another connection's lock, in ms. Default 5000. */
  readonly busyTimeout?: number;
}

/**
 * Validates the connection options (throws `ConfigurationError`) and builds
 * the kysely instance, dialect parts and close function a SQLite store runs on.
 * The database opens lazily, on the first operation.
 *
 * @example
 * ```ts
 * const store = new SqlStore(sqliteStoreConfig({ filename: './digests.db' }, 'SqliteBackend'));
 * ```
 */
export function sqliteStoreConfig(options: SqliteConnectionOptions, owner: string): SqlStoreConfig {
  const names = tableNames({ tablePrefix: options.tablePrefix ?? 'digests_' });
  const { database, filename, busyTimeout = 5000 } = options;
  if ((database === undefined) === (filename === undefined)) {
    throw new ConfigurationError(`${owner} needs exactly one of database or filename`);
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
  const kysely = new Kysely<DigestsDatabase>({
    dialect: new TimedDialect(new SqliteDialect({ database: open })),
  });
  return {
    db: kysely.withPlugin(new TableNamesPlugin(names)),
    migrationDb: kysely as Kysely<unknown>,
    names,
    parts: sqliteDialectParts(direct),
    autoMigrate,
    // kysely's driver closes the database it holds: only do that for our own.
    close: database === undefined ? () => kysely.destroy() : async () => undefined,
  };
}
