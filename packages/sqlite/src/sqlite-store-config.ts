import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigurationError, type TableOptions, tableOptions } from '@digests/core';
import { type SqlStoreConfig, sqlStoreConfig, tableNames } from '@digests/sql';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { DirectConnection } from './direct-connection.js';
import { sqliteDialectParts } from './sqlite-dialect-parts.js';
import { withStatementCache } from './statement-cache.js';
import { JOURNAL_SIZE_LIMIT } from './wal-checkpoint.js';

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
export interface SqliteConnectionOptions extends TableOptions {
  /** An open better-sqlite3 database; never closed. */
  readonly database?: SqliteDatabase;
  /** A file to open (`':memory:'` allowed); closed on `close()`. */
  readonly filename?: string;
  /**
   * How long a write waits for another connection's lock, in ms. Default
   * 5000, and never more than `operationTimeout`: better-sqlite3 waits
   * synchronously, so the wait must end (as a transient `SQLITE_BUSY`)
   * before the operation's own deadline.
   */
  readonly busyTimeout?: number;
  /** The backend's operation timeout in ms (default 10 000); it caps `busyTimeout`. */
  readonly operationTimeout?: number;
}

/**
 * Validates the connection options (throws `ConfigurationError`) and builds
 * the kysely instance, dialect parts and close function a SQLite store runs on.
 * `checkpoints: false` (an options storage) keeps SQLite's automatic WAL
 * checkpoints instead of the backend's own.
 * The database opens lazily, on the first operation.
 *
 * @example
 * ```ts
 * const store = new SqlStore(sqliteStoreConfig({ filename: './digests.db' }, 'SqliteBackend'));
 * ```
 */
export function sqliteStoreConfig(
  options: SqliteConnectionOptions,
  owner: string,
  { checkpoints = true }: { checkpoints?: boolean } = {},
): SqlStoreConfig {
  const { tablePrefix, autoMigrate } = tableOptions(options);
  const names = tableNames({ tablePrefix });
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

  const operationTimeout = options.operationTimeout ?? 10_000;
  const waitFor = Math.floor(Math.min(busyTimeout, operationTimeout));
  const description = `SQLite at ${filename ?? database?.name ?? 'a given database'}`;
  const direct = new DirectConnection(names, Math.min(50, waitFor));
  const open = async () => {
    if (filename !== undefined) assertFolder(filename);
    const db = direct.attach(database ?? new Database(filename as string));
    db.pragma(`busy_timeout = ${waitFor}`);
    db.pragma('journal_mode = WAL');
    if (database === undefined) {
      // WAL + NORMAL: every commit survives a process crash; a power loss may
      // lose the last commits, never corrupt the file.
      db.pragma('synchronous = NORMAL');
      db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
      // A backend checkpoints itself, RESTART every CHECKPOINT_EVERY writes
      // (see checkpointWal); an options storage, which writes rarely and
      // runs no checkpoints of its own, keeps SQLite's automatic ones.
      if (checkpoints) db.pragma('wal_autocheckpoint = 0');
    }
    return withStatementCache(db);
  };
  return sqlStoreConfig({
    description,
    dialect: new SqliteDialect({ database: open }),
    names,
    parts: sqliteDialectParts(direct),
    autoMigrate,
    // kysely's driver closes the database it holds: only do that for our own.
    owned: database === undefined,
  });
}

/** A file in a folder that does not exist: say which path, instead of the driver's bare message. */
function assertFolder(filename: string): void {
  if (filename === ':memory:' || filename.startsWith('file:')) return;
  const folder = dirname(resolve(filename));
  if (!existsSync(folder)) {
    throw new ConfigurationError(
      `SQLite at ${filename}: the folder ${folder} does not exist (create it first)`,
    );
  }
}
