import { z } from 'zod';
import { ConfigurationError } from '../errors.js';

/**
 * The config fields every table-based store shares (SQLite, PostgreSQL,
 * MySQL, a third party's): the table prefix and whether to migrate before
 * the first operation. Spread them into an adapter's `configSchema`.
 *
 * @example
 * ```ts
 * const configSchema = z.strictObject({ url: z.string(), ...tableFields('table and index') });
 * ```
 */
export function tableFields(objects = 'table and index') {
  return {
    tablePrefix: z
      .string({ error: 'must be a string' })
      .describe(`prefix of every ${objects} (default "digests_")`)
      .optional(),
    autoMigrate: z
      .boolean({ error: 'must be a boolean' })
      .describe('create or upgrade the tables before the first operation (default true)')
      .optional(),
  };
}

/**
 * The connection options every table-based store shares (SQLite,
 * PostgreSQL, MySQL, a third party's): the `tablePrefix` and `autoMigrate`
 * that {@link tableFields} reads from a config file. Extend it in an
 * adapter's connection options.
 *
 * @example
 * ```ts
 * export interface MyConnectionOptions extends TableOptions {
 *   readonly url?: string;
 * }
 * ```
 */
export interface TableOptions {
  /** Prefix of every table and index. Default `'digests_'`. */
  readonly tablePrefix?: string;
  /** Create or upgrade the tables before the first operation. Default `true`. */
  readonly autoMigrate?: boolean;
}

/**
 * {@link TableOptions} with their defaults, `autoMigrate` checked (throws
 * `ConfigurationError`); the prefix is left for the store's own table-name
 * rules to check.
 *
 * @example
 * ```ts
 * const { tablePrefix, autoMigrate } = tableOptions(options); // 'digests_', true
 * ```
 */
export function tableOptions(options: TableOptions): {
  readonly tablePrefix: string;
  readonly autoMigrate: boolean;
} {
  const autoMigrate = options.autoMigrate ?? true;
  if (typeof autoMigrate !== 'boolean') {
    throw new ConfigurationError('autoMigrate must be a boolean');
  }
  return { tablePrefix: options.tablePrefix ?? 'digests_', autoMigrate };
}

/**
 * The config field that says where a store lives (a connection string, a
 * file name): a non-empty string, with one message for both a wrong type
 * and an empty string.
 *
 * @example
 * ```ts
 * const configSchema = z.strictObject({
 *   filename: locationField('must be a non-empty file path', 'the database file'),
 * });
 * ```
 */
export function locationField(message: string, description: string) {
  return z.string({ error: message }).min(1, { error: message }).describe(description);
}

/**
 * The tables every table store keeps, named after its prefix (checked by the
 * store's own identifier rules first).
 *
 * @example
 * ```ts
 * prefixedTables('app_').records; // 'app_records'
 * ```
 */
export interface PrefixedTables {
  readonly prefix: string;
  readonly timelines: string;
  readonly records: string;
  readonly quarantine: string;
  readonly migrations: string;
  readonly migrationsLock: string;
}

/**
 * Names the {@link PrefixedTables} after `prefix`.
 *
 * @example
 * ```ts
 * const names = { ...prefixedTables('digests_'), options: 'digests_options' };
 * ```
 */
export function prefixedTables(prefix: string): PrefixedTables {
  const table = (name: string) => `${prefix}${name}`;
  return {
    prefix,
    timelines: table('timelines'),
    records: table('records'),
    quarantine: table('quarantine'),
    migrations: table('migrations'),
    migrationsLock: table('migrations_lock'),
  };
}
