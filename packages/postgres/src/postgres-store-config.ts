import { ConfigurationError, type TableOptions, tableOptions } from '@digests/core';
import { type SqlStoreConfig, sqlStoreConfig, tableNames } from '@digests/sql';
import { type Dialect, type Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { BorrowedPostgresDialect } from './borrowed-dialect.js';
import { guardPoolErrors } from './pool-errors.js';
import { postgresDialectParts } from './postgres-dialect-parts.js';

/**
 * How a PostgreSQL backend or options storage reaches the server (exactly
 * one of `pool`, `connectionString`, `db`), and where its tables live.
 *
 * @example
 * ```ts
 * const options: PostgresConnectionOptions = { connectionString: process.env.DATABASE_URL, schema: 'app' };
 * ```
 */
export interface PostgresConnectionOptions extends TableOptions {
  /**
   * A pg pool; the backend never ends it. The backend adds a no-op `'error'`
   * listener to the clients the pool creates, so a connection dying while the
   * backend holds it cannot crash the process. Give the pool an `'error'`
   * listener of your own for idle clients.
   */
  readonly pool?: pg.Pool;
  /** A connection string; the backend opens a pool and ends it on `close()`. */
  readonly connectionString?: string;
  /** A kysely instance on PostgreSQL (e.g. the application's); never destroyed. */
  // biome-ignore lint/suspicious/noExplicitAny: any application's Kysely<DB> is accepted; the backend only adds its own tables.
  readonly db?: Kysely<any>;
  /** Schema of the tables (created if missing). Default `'public'`. */
  readonly schema?: string;
  /** Prefix of every table, index and function. Default `'digests_'`. */
  readonly tablePrefix?: string;
  /**
   * The backend's operation timeout in ms (default 10 000). A pool opened
   * from `connectionString` gets it as its connect timeout
   * (`connectionTimeoutMillis`), its `statement_timeout` (the server cancels
   * the statement) and, one second later, its client-side `query_timeout`
   * (for a server that stopped answering). A pool or `db` given keeps its
   * own settings; the front still gives up after `operationTimeout`.
   */
  readonly operationTimeout?: number;
}

/**
 * Validates the connection options (throws `ConfigurationError`) and builds
 * the kysely instance, dialect parts and close function a PostgreSQL store
 * runs on. Nothing connects until the first operation.
 *
 * @example
 * ```ts
 * const store = new SqlStore(postgresStoreConfig({ connectionString: url }, 'PostgresBackend'));
 * ```
 */
export function postgresStoreConfig(
  options: PostgresConnectionOptions,
  owner: string,
): SqlStoreConfig {
  const { tablePrefix, autoMigrate } = tableOptions(options);
  const names = tableNames({ schema: options.schema ?? 'public', tablePrefix });
  const { pool, connectionString, db } = options;
  const given = [pool, connectionString, db].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new ConfigurationError(`${owner} needs exactly one of pool, connectionString or db`);
  }
  if (
    connectionString !== undefined &&
    (typeof connectionString !== 'string' || connectionString === '')
  ) {
    throw new ConfigurationError('connectionString must be a non-empty string');
  }
  if (pool !== undefined && typeof pool?.connect !== 'function') {
    throw new ConfigurationError('pool must be a pg.Pool');
  }
  if (db !== undefined && typeof db?.withPlugin !== 'function') {
    throw new ConfigurationError('db must be a Kysely instance');
  }

  let dialect: Dialect;
  if (db !== undefined) {
    // Our own instance over the application's connections; never destroyed (nothing to end).
    dialect = new BorrowedPostgresDialect(db);
  } else if (pool !== undefined) {
    guardPoolErrors(pool);
    dialect = new PostgresDialect({ pool });
  } else {
    const timeout = Math.max(1, Math.ceil(options.operationTimeout ?? 10_000));
    const own = new pg.Pool({
      connectionString,
      connectionTimeoutMillis: timeout,
      statement_timeout: timeout,
      query_timeout: timeout + 1000,
    });
    // An idle client whose server connection dies emits 'error' on the pool;
    // the next query gets a fresh client, so there is nothing to do here.
    own.on('error', () => undefined);
    guardPoolErrors(own);
    dialect = new PostgresDialect({ pool: own });
  }
  return sqlStoreConfig({
    description: `PostgreSQL at ${where(options)}`,
    dialect,
    names,
    parts: postgresDialectParts(names),
    autoMigrate,
    owned: db === undefined && pool === undefined,
  });
}

/** `host:port/database` of the server, as far as the options tell. */
function where(options: PostgresConnectionOptions): string {
  if (options.db !== undefined) return 'the application’s kysely connection';
  const config = (options.pool as { options?: pg.PoolConfig } | undefined)?.options ?? {};
  const url = options.connectionString ?? config.connectionString;
  let host = config.host;
  let port: string | number | undefined = config.port;
  let database = config.database;
  if (url !== undefined) {
    try {
      const parsed = new URL(url);
      host = decodeURIComponent(parsed.hostname) || host;
      port = parsed.port || port;
      database = decodeURIComponent(parsed.pathname.slice(1)) || database;
    } catch {
      // Not a URL (a libpq keyword string): the defaults below say where.
    }
  }
  return `${host ?? 'localhost'}:${port ?? 5432}/${database ?? ''}`;
}
