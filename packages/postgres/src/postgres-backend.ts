import { type BackendOptions, ConfigurationError, resolveOptions } from '@digests/core';
import {
  type DigestsDatabase,
  SqlBackend,
  type SqlBackendConfig,
  TableNamesPlugin,
  tableNames,
} from '@digests/sql';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { guardPoolErrors } from './pool-errors.js';
import { postgresDialectParts } from './postgres-dialect-parts.js';

/**
 * Options of {@link PostgresBackend}: the shared ones, one way to reach the
 * server, and where the tables live.
 *
 * @example
 * ```ts
 * const options: PostgresBackendOptions = { connectionString: process.env.DATABASE_URL, schema: 'app' };
 * ```
 */
export interface PostgresBackendOptions<V = unknown> extends BackendOptions<V> {
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
  /** Create or upgrade the tables before the first operation. Default `true`. */
  readonly autoMigrate?: boolean;
}

/**
 * A digests backend on PostgreSQL (pg + kysely). `add` is one statement;
 * `schedule` claims due timelines with `FOR UPDATE SKIP LOCKED`; a digest
 * takes its lease and snapshot in one short transaction and commits in
 * another, never holding a transaction while the caller's function runs.
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
    super(postgresConfig(options));
  }
}

function postgresConfig<V>(options: PostgresBackendOptions<V>): SqlBackendConfig<V> {
  const resolved = resolveOptions(options);
  const names = tableNames({
    schema: options.schema ?? 'public',
    tablePrefix: options.tablePrefix ?? 'digests_',
  });
  const { pool, connectionString, db } = options;
  const given = [pool, connectionString, db].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new ConfigurationError(
      'PostgresBackend needs exactly one of pool, connectionString or db',
    );
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
  const autoMigrate = options.autoMigrate ?? true;
  if (typeof autoMigrate !== 'boolean')
    throw new ConfigurationError('autoMigrate must be a boolean');

  let kysely: Kysely<DigestsDatabase>;
  let close = async (): Promise<void> => undefined;
  if (db !== undefined) {
    kysely = db as Kysely<DigestsDatabase>;
  } else if (pool !== undefined) {
    guardPoolErrors(pool);
    kysely = new Kysely({ dialect: new PostgresDialect({ pool }) });
  } else {
    const own = new pg.Pool({ connectionString });
    // An idle client whose server connection dies emits 'error' on the pool;
    // the next query gets a fresh client, so there is nothing to do here.
    own.on('error', () => undefined);
    guardPoolErrors(own);
    kysely = new Kysely({ dialect: new PostgresDialect({ pool: own }) });
    close = () => kysely.destroy();
  }
  return {
    db: kysely.withPlugin(new TableNamesPlugin(names)),
    migrationDb: kysely as Kysely<unknown>,
    names,
    parts: postgresDialectParts(names),
    options: resolved,
    autoMigrate,
    close,
  };
}
