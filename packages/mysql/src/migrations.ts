import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { createProcedures, dropProcedures } from './procedures.js';
import type { TableNames } from './table-names.js';

/**
 * The store's migrations, as code. Every name comes from {@link TableNames},
 * whose prefix is checked, so identifiers can be spliced in.
 *
 * Keys and record keys are UTF-8 bytes (`varbinary`, compared bytewise =
 * code-point order, NUL allowed); rows are found by the SHA-256 of the key
 * (`binary(32)`), since a 1024-unit key can take 3072 bytes and an InnoDB
 * index entry is capped at 3072.
 *
 * @example
 * ```ts
 * const migrator = new Migrator({ db, provider: new MysqlMigrations(names), migrationTableName: names.migrations });
 * ```
 */
export class MysqlMigrations implements MigrationProvider {
  readonly #names: TableNames;

  constructor(names: TableNames) {
    this.#names = names;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const names = this.#names;
    const { timelines, records, quarantine } = names;
    return {
      '0001_tables': {
        async up(db) {
          await sql
            .raw(`create table if not exists \`${timelines}\` (
              timeline_id binary(32) not null primary key,
              timeline_key varbinary(3072) not null,
              state tinyint not null,
              score double not null,
              last_processed double null,
              lease_token varchar(64) character set ascii null,
              lease_expires_at double null,
              has_snapshot tinyint not null default 0,
              touched_at double null,
              key \`${timelines}_due\` (state, score),
              key \`${timelines}_touched\` (touched_at)
            ) engine = InnoDB row_format = dynamic`)
            .execute(db);
          await sql
            .raw(`create table if not exists \`${records}\` (
              timeline_id binary(32) not null,
              snapshot tinyint not null,
              record_id binary(32) not null,
              record_key varbinary(3072) not null,
              value longblob not null,
              value_is_text tinyint not null,
              timestamp double not null,
              primary key (timeline_id, snapshot, record_id),
              key \`${records}_oldest\` (timeline_id, snapshot, timestamp, record_key(255))
            ) engine = InnoDB row_format = dynamic`)
            .execute(db);
          await sql
            .raw(`create table if not exists \`${quarantine}\` (
              timeline_id binary(32) not null,
              record_id binary(32) not null,
              record_key varbinary(3072) not null,
              value longblob not null,
              value_is_text tinyint not null,
              timestamp double not null,
              primary key (timeline_id, record_id)
            ) engine = InnoDB row_format = dynamic`)
            .execute(db);
        },
        async down(db) {
          for (const table of [quarantine, records, timelines]) {
            await sql.raw(`drop table if exists \`${table}\``).execute(db);
          }
        },
      },
      '0002_sides_and_procedures': {
        // Existing rows keep their meaning: every timeline's side is 0, and
        // the former `snapshot = 1` rows are the other side.
        async up(db) {
          await sql
            .raw(`alter table \`${timelines}\`
              add column timeline_side tinyint not null default 0`)
            .execute(db);
          // The old index ended in record_key(255), a prefix, so it could not give the
          // (timestamp, record_key) order: a limited read sorted the whole side anyway.
          await sql
            .raw(`alter table \`${records}\` change snapshot side tinyint not null,
              drop index \`${records}_oldest\`,
              add index \`${records}_oldest\` (timeline_id, side, timestamp)`)
            .execute(db);
          for (const statement of [...dropProcedures(names), ...createProcedures(names)]) {
            await sql.raw(statement).execute(db);
          }
        },
        async down(db) {
          for (const statement of dropProcedures(names)) await sql.raw(statement).execute(db);
          // Back to `snapshot = 1` meaning the snapshot: swap the sides of timelines on side 1.
          for (const flip of ['side + 10', '11 - side']) {
            await sql
              .raw(`update \`${records}\` r join \`${timelines}\` t using (timeline_id)
                set r.side = ${flip} where t.timeline_side = 1`)
              .execute(db);
          }
          await sql
            .raw(`alter table \`${records}\` change side snapshot tinyint not null,
              drop index \`${records}_oldest\`,
              add index \`${records}_oldest\` (timeline_id, snapshot, timestamp, record_key(255))`)
            .execute(db);
          await sql.raw(`alter table \`${timelines}\` drop column timeline_side`).execute(db);
        },
      },
      // 0002's add procedure could store a record under a timeline row a
      // digest had just dropped (its locking re-read found nothing and kept
      // the unlocked read's state): the procedures again, fixed.
      '0003_procedures_recreated': {
        async up(db) {
          for (const statement of [...dropProcedures(names), ...createProcedures(names)]) {
            await sql.raw(statement).execute(db);
          }
        },
        async down() {
          // 0002's procedures are these, less the fix: nothing to undo.
        },
      },
    };
  }
}

/** The newest migration's name; tables at it need no migrator run. */
const LATEST = '0003_procedures_recreated';

/**
 * Whether the tables are already at {@link LATEST}: one indexed read of the
 * migration table, so a store starting against migrated tables takes no
 * migration lock and reads no schema metadata.
 */
async function atLatest(
  // biome-ignore lint/suspicious/noExplicitAny: as below.
  db: Kysely<any>,
  names: TableNames,
): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`
      select name from ${sql.table(names.migrations)} where name = ${LATEST}`.execute(db);
    return rows.length === 1;
  } catch (error) {
    // 1146: the migration table does not exist yet.
    if ((error as { errno?: unknown } | null)?.errno === 1146) return false;
    throw error;
  }
}

/**
 * What {@link migrateTables} did: the migrations it applied now, and the
 * latest one the tables are at.
 *
 * @example
 * ```ts
 * const { applied, latest } = await backend.migrate(); // { applied: ['0001_tables', '0002_sides_and_procedures', '0003_procedures_recreated'], latest: '0003_procedures_recreated' }
 * ```
 */
export interface MigrationSummary {
  readonly applied: readonly string[];
  readonly latest: string | undefined;
}

/**
 * Brings the tables named by `names` to the latest migration, keeping its
 * own bookkeeping in `<prefix>migrations` (never the application's).
 * Rejects with the failing migration's error.
 *
 * @example
 * ```ts
 * await migrateTables(db, tableNames('digests_'));
 * ```
 */
export async function migrateTables(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on the store's untyped instance.
  db: Kysely<any>,
  names: TableNames,
): Promise<MigrationSummary> {
  if (await atLatest(db, names)) return { applied: [], latest: LATEST };
  const migrator = new Migrator({
    db,
    provider: new MysqlMigrations(names),
    migrationTableName: names.migrations,
    migrationLockTableName: names.migrationsLock,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
  const known = await migrator.getMigrations();
  const done = known.filter((migration) => migration.executedAt !== undefined);
  return {
    applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName),
    latest: done[done.length - 1]?.name,
  };
}
