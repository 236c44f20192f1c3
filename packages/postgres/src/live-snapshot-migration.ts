import type { TableNames } from '@digests/sql';
import { type Kysely, type Migration, sql } from 'kysely';
import { addFunctionMigration } from './add-function.js';
import { addManySetFunctionMigration } from './add-many-set-function.js';
import { digestFunctionsMigration } from './digest-functions.js';
import { liveAddFunctions } from './live-add-functions.js';
import { liveDigestFunctions } from './live-digest-functions.js';
import { qualified } from './sql-fragments.js';

/**
 * The migration `0008_live_snapshot`: a digest opens without writing its
 * records. `timelines.live` (0 or 1, default 0) names the side of `records`
 * that holds the timeline; the other side is the snapshot. Opening a digest
 * with no snapshot left over flips `live` (one row written, whatever the
 * timeline's size) where it used to move every record (`UPDATE … SET
 * snapshot = 1`, a new row version and two index entries per record). Every
 * add and add_many body is replaced to write to the live side; an existing
 * database keeps its meaning (every timeline starts at `live = 0`).
 * Its `down` moves the records of flipped timelines back to `snapshot = 0`
 * sides and reinstalls the bodies of `0002`, `0005` and `0007`.
 *
 * @example
 * ```ts
 * const migrations = { ...digestFunctionsMigration(names), ...liveSnapshotMigration(names) };
 * ```
 */
export function liveSnapshotMigration(names: TableNames): Record<string, Migration> {
  const timelines = qualified(names, names.timelines);
  const records = qualified(names, names.records);
  const statements = [...liveAddFunctions(names), ...liveDigestFunctions(names)];
  const older = [
    addFunctionMigration(names)['0002_add_function']!,
    addManySetFunctionMigration(names)['0005_add_many_set_based']!,
    digestFunctionsMigration(names)['0007_digest_functions']!,
  ];
  return {
    '0008_live_snapshot': {
      async up(db: Kysely<unknown>) {
        await sql
          .raw(
            `ALTER TABLE ${timelines} ADD COLUMN IF NOT EXISTS live smallint NOT NULL DEFAULT 0 CHECK (live IN (0, 1))`,
          )
          .execute(db);
        for (const statement of statements) await sql.raw(statement).execute(db);
      },
      async down(db: Kysely<unknown>) {
        // Two passes through a free value keep (timeline, snapshot, record) unique.
        for (const [from, to] of [
          [0, 2],
          [1, 0],
          [2, 1],
        ] as const) {
          await sql
            .raw(
              `UPDATE ${records} AS r SET snapshot = ${to} FROM ${timelines} AS t
               WHERE t.timeline_id = r.timeline_id AND t.live = 1 AND r.snapshot = ${from}`,
            )
            .execute(db);
        }
        await sql.raw(`ALTER TABLE ${timelines} DROP COLUMN IF EXISTS live`).execute(db);
        for (const migration of older) await migration.up(db);
      },
    },
  };
}
