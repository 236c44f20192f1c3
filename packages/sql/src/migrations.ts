import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { DigestsDatabase } from './schema.js';
import { type TableNames, TableNamesPlugin } from './table-names.js';

/** The SQL type names a dialect uses for the shared schema's columns. */
export interface ColumnTypes {
  /** `bytea` / `blob` */
  readonly bytes: 'bytea' | 'blob';
  /** `double precision` / `real` */
  readonly double: 'double precision' | 'real';
  /** `smallint` / `integer` */
  readonly small: 'smallint' | 'integer';
}

/** What `migrate()` did. */
export interface MigrationSummary {
  /** Migrations applied by this call, oldest first (empty when already up to date). */
  readonly applied: readonly string[];
  /** The newest migration the package ships; the schema is at this version now. */
  readonly latest: string;
}

/**
 * The shared schema as named kysely migrations: the `timelines` and
 * `records` tables and their indexes (`0001_tables`), the `options` table of
 * the options storage (`0003_options`) and the `quarantine` table
 * (`0006_quarantine`). Dialects add their own (PostgreSQL: its functions;
 * both: `0007_…` replaces `records_newest` by an index that serves a
 * limited digest). An applied migration is never edited: changes are new
 * migrations.
 *
 * @example
 * ```ts
 * const migrations = sharedMigrations(names, { bytes: 'blob', double: 'real', small: 'integer' });
 * ```
 */
export function sharedMigrations(names: TableNames, types: ColumnTypes): Record<string, Migration> {
  const plugin = new TableNamesPlugin(names);
  return {
    '0001_tables': {
      async up(host: Kysely<unknown>) {
        const db = (host as Kysely<DigestsDatabase>).withPlugin(plugin);
        await db.schema
          .createTable('timelines')
          .ifNotExists()
          .addColumn('timeline_id', types.bytes, (c) => c.primaryKey())
          .addColumn('timeline_key', types.bytes, (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('waiting', 'ready')`))
          .addColumn('score', types.double, (c) => c.notNull())
          .addColumn('last_processed', types.double)
          .addColumn('lease_token', 'text')
          .addColumn('lease_expires_at', types.double)
          .addColumn('touched_at', types.double, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('records')
          .ifNotExists()
          .addColumn('timeline_id', types.bytes, (c) => c.notNull())
          .addColumn('snapshot', types.small, (c) => c.notNull())
          .addColumn('record_id', types.bytes, (c) => c.notNull())
          .addColumn('record_key', types.bytes, (c) => c.notNull())
          .addColumn('value', types.bytes, (c) => c.notNull())
          .addColumn('value_is_text', types.small, (c) => c.notNull())
          .addColumn('timestamp', types.double, (c) => c.notNull())
          .addPrimaryKeyConstraint(names.prefixed('records_pkey'), [
            'timeline_id',
            'snapshot',
            'record_id',
          ])
          .execute();
        await db.schema
          .createIndex(names.prefixed('timelines_due'))
          .ifNotExists()
          .on('timelines')
          .columns(['state', 'score'])
          .execute();
        await db.schema
          .createIndex(names.prefixed('timelines_touched'))
          .ifNotExists()
          .on('timelines')
          .column('touched_at')
          .execute();
        await db.schema
          .createIndex(names.prefixed('records_newest'))
          .ifNotExists()
          .on('records')
          .columns(['timeline_id', 'snapshot', 'timestamp'])
          .execute();
      },
      async down(host: Kysely<unknown>) {
        const db = (host as Kysely<DigestsDatabase>).withPlugin(plugin);
        await db.schema.dropTable('records').ifExists().execute();
        await db.schema.dropTable('timelines').ifExists().execute();
      },
    },
    '0003_options': {
      async up(host: Kysely<unknown>) {
        const db = (host as Kysely<DigestsDatabase>).withPlugin(plugin);
        await db.schema
          .createTable('options')
          .ifNotExists()
          .addColumn('name_id', types.bytes, (c) => c.primaryKey())
          .addColumn('name', types.bytes, (c) => c.notNull())
          .addColumn('value', types.bytes, (c) => c.notNull())
          .execute();
      },
      async down(host: Kysely<unknown>) {
        const db = (host as Kysely<DigestsDatabase>).withPlugin(plugin);
        await db.schema.dropTable('options').ifExists().execute();
      },
    },
    '0006_quarantine': {
      async up(host: Kysely<unknown>) {
        const db = (host as Kysely<DigestsDatabase>).withPlugin(plugin);
        await db.schema
          .createTable('quarantine')
          .ifNotExists()
          .addColumn('timeline_id', types.bytes, (c) => c.notNull())
          .addColumn('record_id', types.bytes, (c) => c.notNull())
          .addColumn('record_key', types.bytes, (c) => c.notNull())
          .addColumn('value', types.bytes, (c) => c.notNull())
          .addColumn('value_is_text', types.small, (c) => c.notNull())
          .addColumn('timestamp', types.double, (c) => c.notNull())
          .addPrimaryKeyConstraint(names.prefixed('quarantine_pkey'), ['timeline_id', 'record_id'])
          .execute();
      },
      async down(host: Kysely<unknown>) {
        const db = (host as Kysely<DigestsDatabase>).withPlugin(plugin);
        await db.schema.dropTable('quarantine').ifExists().execute();
      },
    },
  };
}

/**
 * A kysely {@link MigrationProvider} in code (no files on disk).
 *
 * @example
 * ```ts
 * const provider = migrationProvider(sharedMigrations(names, types));
 * ```
 */
export function migrationProvider(migrations: Record<string, Migration>): MigrationProvider {
  return { getMigrations: async () => migrations };
}

/**
 * Brings the schema to the newest migration, recording progress in the
 * package's own migration table (`<prefix>migrations`), so it never collides
 * with the host application's migrations. Throws the first failure.
 *
 * @example
 * ```ts
 * const { applied } = await migrateToLatest(db, names, migrations);
 * ```
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  names: TableNames,
  migrations: Record<string, Migration>,
): Promise<MigrationSummary> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(migrations),
    migrationTableName: names.migrations,
    migrationLockTableName: names.migrationsLock,
    ...(names.schema === undefined ? {} : { migrationTableSchema: names.schema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
  const latest = Object.keys(migrations).sort().at(-1) ?? '';
  return {
    applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName),
    latest,
  };
}
