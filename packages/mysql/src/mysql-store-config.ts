import {
  ConfigurationError,
  DEFAULT_OPTIONS,
  type TableOptions,
  tableOptions,
} from '@digests/core';
import { Kysely, MysqlDialect } from 'kysely';
import mysql from 'mysql2';
import { type TableNames, tableNames } from './table-names.js';
import { type Mysql2ConnectionConfig, type Mysql2Pool, TimedPool } from './timed-pool.js';

/**
 * How a MySQL store reaches the server (exactly one of `url` and `pool`)
 * and where its tables live.
 *
 * @example
 * ```ts
 * const options: MysqlConnectionOptions = { url: 'mysql://root@127.0.0.1:3306/test', tablePrefix: 'app_' };
 * ```
 */
export interface MysqlConnectionOptions extends TableOptions {
  /** `mysql://user:password@host:port/database`; the store opens a pool and ends it on `close()`. */
  readonly url?: string;
  /** A callback-style mysql2 pool (`mysql.createPool(…)`); never ended by the store. */
  readonly pool?: Mysql2Pool;
  /**
   * Milliseconds one query (and, on an owned pool, one connect) may take;
   * the same number as the front's operation timeout. Default 10 000.
   */
  readonly operationTimeout?: number;
}

/**
 * What a {@link MysqlStore} runs on, built from {@link MysqlConnectionOptions}.
 *
 * @example
 * ```ts
 * const config = mysqlStoreConfig({ url: 'mysql://root@127.0.0.1:3306/test' });
 * ```
 */
export interface MysqlStoreConfig {
  // biome-ignore lint/suspicious/noExplicitAny: the store's statements are raw SQL on its own tables.
  readonly db: Kysely<any>;
  readonly names: TableNames;
  readonly autoMigrate: boolean;
  /** `MySQL at host:port/database`. */
  readonly description: string;
  /**
   * Whether the store's own pool set READ COMMITTED on each session; a given
   * pool's sessions are left alone, so each transaction sets it.
   */
  readonly sessionIsolation: boolean;
}

/**
 * Checks the options (throws `ConfigurationError`) and builds the kysely
 * instance a store runs on. Nothing connects until the first operation.
 *
 * @example
 * ```ts
 * const { db, names } = mysqlStoreConfig({ pool, tablePrefix: 't1_' });
 * ```
 */
export function mysqlStoreConfig(options: MysqlConnectionOptions): MysqlStoreConfig {
  const { tablePrefix, autoMigrate } = tableOptions(options);
  const names = tableNames(tablePrefix);
  const { url, pool } = options;
  if ((url === undefined) === (pool === undefined)) {
    throw new ConfigurationError('MysqlBackend needs exactly one of url or pool');
  }
  const timeout = options.operationTimeout ?? DEFAULT_OPTIONS.operationTimeout;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new ConfigurationError(
      `operationTimeout must be a positive number, got ${String(timeout)}`,
    );
  }
  if (pool !== undefined) {
    if (typeof pool?.getConnection !== 'function') {
      throw new ConfigurationError('pool must be a callback-style mysql2 pool (mysql.createPool)');
    }
    return {
      db: new Kysely({ dialect: new MysqlDialect({ pool: new TimedPool(pool, timeout, false) }) }),
      names,
      autoMigrate,
      description: describe(pool.config?.connectionConfig),
      sessionIsolation: false,
    };
  }
  if (typeof url !== 'string' || !/^mysql:\/\//.test(url)) {
    throw new ConfigurationError(`url must be a mysql:// URL, got ${JSON.stringify(url)}`);
  }
  const own = mysql.createPool({
    uri: url,
    connectTimeout: Math.ceil(timeout),
    connectionLimit: 10,
    // Keys, record keys and values travel as bytes; nothing is converted.
    charset: 'utf8mb4',
  });
  const lockWait = Math.max(1, Math.ceil(timeout / 1000));
  own.on('connection', (connection) => {
    // A pooled connection that dies while idle emits 'error'; the next query
    // gets a fresh one, so there is nothing to do but keep the process alive.
    connection.on('error', () => undefined);
    // Row locks only (no gap locks), and a lock wait never outlives the
    // operation timeout. Queued on the connection ahead of any statement of
    // ours; a failure means the connection is dead, which its first
    // statement reports.
    connection.query('set session transaction isolation level read committed', () => undefined);
    connection.query(`set session innodb_lock_wait_timeout = ${lockWait}`, () => undefined);
  });
  return {
    db: new Kysely({
      dialect: new MysqlDialect({
        pool: new TimedPool(own as unknown as Mysql2Pool, timeout, true),
      }),
    }),
    names,
    autoMigrate,
    description: describe((own as unknown as Mysql2Pool).config?.connectionConfig),
    sessionIsolation: true,
  };
}

function describe(config: Mysql2ConnectionConfig | undefined): string {
  const host = config?.host ?? 'localhost';
  const port = config?.port ?? 3306;
  return `MySQL at ${host}:${port}/${config?.database ?? ''}`;
}
