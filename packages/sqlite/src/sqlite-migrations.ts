import { quoteIdentifier, type TableNames } from '@digests/sql';
import { type Migration, sql } from 'kysely';

/**
 * SQLite's own migrations, after the shared ones:
 *
 * - `0007_records_oldest`: the index a digest reads its window from — a
 *   timeline's records by (timestamp, record key), so the oldest `limit`
 *   are the first entries and a limited digest never sorts the timeline. It
 *   also serves trimming (newest first), so it replaces `records_newest`.
 * - `0008_live_side`: `timelines.live` (0 or 1, default 0) names the side of
 *   `records.snapshot` that holds the timeline; the other side is the
 *   snapshot, so opening a digest flips one column instead of rewriting
 *   every record. An existing database keeps its meaning (every timeline
 *   starts at `live = 0`, the timeline on `snapshot = 0`).
 * - `0009_timelines_due_key`: `timelines_due` gains `timeline_key`, so
 *   `schedule` (score, then key) reads its chunk from the index in order
 *   instead of sorting every due key.
 *
 * @example
 * ```ts
 * const migrations = { ...sharedMigrations(names, types), ...sqliteMigrations(names) };
 * ```
 */
export function sqliteMigrations(names: TableNames): Record<string, Migration> {
  const timelines = quoteIdentifier(names.timelines);
  const records = quoteIdentifier(names.records);
  const oldest = quoteIdentifier(names.prefixed('records_oldest'));
  const newest = quoteIdentifier(names.prefixed('records_newest'));
  const due = quoteIdentifier(names.prefixed('timelines_due'));
  const raw = (text: string) => sql.raw(text);
  return {
    '0007_records_oldest': {
      async up(db) {
        await raw(
          `create index if not exists ${oldest} on ${records} (timeline_id, timestamp, record_key)`,
        ).execute(db);
        await raw(`drop index if exists ${newest}`).execute(db);
      },
      async down(db) {
        await raw(
          `create index if not exists ${newest} on ${records} (timeline_id, snapshot, timestamp)`,
        ).execute(db);
        await raw(`drop index if exists ${oldest}`).execute(db);
      },
    },
    '0008_live_side': {
      async up(db) {
        await raw(
          `alter table ${timelines} add column live integer not null default 0 check (live in (0, 1))`,
        ).execute(db);
      },
      async down(db) {
        // Back to `snapshot = 1` meaning the snapshot: swap the sides of flipped timelines.
        // Two passes through a free value keep (timeline, snapshot, record) unique.
        for (const [from, to] of [
          [0, 2],
          [1, 0],
          [2, 1],
        ] as const) {
          await raw(
            `update ${records} set snapshot = ${to} where snapshot = ${from}
             and timeline_id in (select timeline_id from ${timelines} where live = 1)`,
          ).execute(db);
        }
        await raw(`alter table ${timelines} drop column live`).execute(db);
      },
    },
    '0009_timelines_due_key': {
      async up(db) {
        await raw(`drop index if exists ${due}`).execute(db);
        await raw(`create index ${due} on ${timelines} (state, score, timeline_key)`).execute(db);
      },
      async down(db) {
        await raw(`drop index if exists ${due}`).execute(db);
        await raw(`create index ${due} on ${timelines} (state, score)`).execute(db);
      },
    },
  };
}
