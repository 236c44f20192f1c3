import { type Dialect, Kysely } from 'kysely';
import type { SqlDialectParts } from './dialect-parts.js';
import type { DigestsDatabase } from './schema.js';
import type { SqlStoreConfig } from './sql-runner.js';
import { type TableNames, TableNamesPlugin } from './table-names.js';
import { TimedDialect } from './timed-dialect.js';

/**
 * What an adapter hands {@link sqlStoreConfig}: its driver's kysely dialect
 * and where its tables are.
 *
 * @example
 * ```ts
 * const setup: SqlStoreSetup = { description: 'SQLite at ./d.db', dialect, names, parts, autoMigrate: true, owned: true };
 * ```
 */
export interface SqlStoreSetup {
  /** Names the store and where it is, for messages: `SQLite at ./digests.db`. */
  readonly description: string;
  /** The driver's dialect; every round trip through it is timed (`TimedDialect`). */
  readonly dialect: Dialect;
  readonly names: TableNames;
  readonly parts: SqlDialectParts;
  readonly autoMigrate: boolean;
  /**
   * Whether the store opened its connections itself: `close()` then ends
   * them (kysely's `destroy`); given connections are never ended.
   */
  readonly owned: boolean;
}

/**
 * The {@link SqlStoreConfig} every SQL adapter builds the same way: one
 * kysely instance over the timed dialect, the table-names plugin on the
 * queries' side, none on the migrator's, and a `close` that ends only
 * connections the store owns.
 *
 * @example
 * ```ts
 * const config = sqlStoreConfig({ description, dialect: new SqliteDialect({ database }), names, parts, autoMigrate, owned: false });
 * ```
 */
export function sqlStoreConfig(setup: SqlStoreSetup): SqlStoreConfig {
  const kysely = new Kysely<DigestsDatabase>({ dialect: new TimedDialect(setup.dialect) });
  return {
    description: setup.description,
    db: kysely.withPlugin(new TableNamesPlugin(setup.names)),
    migrationDb: kysely as Kysely<unknown>,
    names: setup.names,
    parts: setup.parts,
    autoMigrate: setup.autoMigrate,
    close: setup.owned ? () => kysely.destroy() : async () => undefined,
  };
}
