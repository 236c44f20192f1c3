import type { StoreInfo } from '@digests/core';
import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';

/**
 * SPEC `inspect` in one statement: state, score, L, the size of the
 * timeline plus its snapshot, and the quarantined values (which outlive the
 * schedule row, so an absent key may still have some).
 *
 * @example
 * ```ts
 * await inspectTimeline(db, storedKey('mail:p:1').id); // { state: 'waiting', score: 1_000, size: 3, quarantined: 0 }
 * ```
 */
export async function inspectTimeline(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
): Promise<StoreInfo> {
  const row = await db
    .selectNoFrom(({ selectFrom }) => [
      selectFrom('timelines as t')
        .select('t.state')
        .where('t.timeline_id', '=', timelineId)
        .as('state'),
      selectFrom('timelines as t')
        .select('t.score')
        .where('t.timeline_id', '=', timelineId)
        .as('score'),
      selectFrom('timelines as t')
        .select('t.last_processed')
        .where('t.timeline_id', '=', timelineId)
        .as('last_processed'),
      selectFrom('records as r')
        .select(({ fn }) => fn.countAll().as('n'))
        .where('r.timeline_id', '=', timelineId)
        .as('size'),
      selectFrom('quarantine as q')
        .select(({ fn }) => fn.countAll().as('n'))
        .where('q.timeline_id', '=', timelineId)
        .as('quarantined'),
    ])
    .executeTakeFirstOrThrow();
  const quarantined = Number(row.quarantined ?? 0);
  if (row.state === null || row.score === null) return { state: 'absent', size: 0, quarantined };
  return {
    state: row.state,
    score: Number(row.score),
    size: Number(row.size ?? 0),
    quarantined,
    ...(row.last_processed === null ? {} : { lastProcessed: Number(row.last_processed) }),
  };
}

/**
 * SPEC `delete` inside the caller's write transaction: the schedule row
 * (which drops the lease and L) first, so PostgreSQL locks it before the
 * records go; then every record of the timeline and its snapshot, and its
 * quarantined values.
 *
 * @example
 * ```ts
 * await parts.transaction(db, (trx) => deleteTimeline(trx, storedKey('mail:p:1').id));
 * ```
 */
export async function deleteTimeline(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
): Promise<void> {
  await db.deleteFrom('timelines').where('timeline_id', '=', timelineId).execute();
  await db.deleteFrom('records').where('timeline_id', '=', timelineId).execute();
  await db.deleteFrom('quarantine').where('timeline_id', '=', timelineId).execute();
}

/**
 * SPEC `flush`: a waiting key becomes ready with score `now`; one statement.
 *
 * @example
 * ```ts
 * await flushTimeline(db, storedKey('mail:p:1').id, clock());
 * ```
 */
export async function flushTimeline(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
  now: number,
): Promise<void> {
  await db
    .updateTable('timelines')
    .set({ state: 'ready', score: now })
    .where('timeline_id', '=', timelineId)
    .where('state', '=', 'waiting')
    .execute();
}

/**
 * How many rows this backend's tables hold (timelines, records and
 * quarantined values), for leak checks; the migration tables are not counted.
 *
 * @example
 * ```ts
 * await countStoredRows(db); // 0 once every timeline was drained
 * ```
 */
export async function countStoredRows(db: Kysely<DigestsDatabase>): Promise<number> {
  const row = await db
    .selectNoFrom(({ selectFrom }) => [
      selectFrom('timelines')
        .select(({ fn }) => fn.countAll().as('n'))
        .as('timelines'),
      selectFrom('records')
        .select(({ fn }) => fn.countAll().as('n'))
        .as('records'),
      selectFrom('quarantine')
        .select(({ fn }) => fn.countAll().as('n'))
        .as('quarantine'),
    ])
    .executeTakeFirstOrThrow();
  return Number(row.timelines ?? 0) + Number(row.records ?? 0) + Number(row.quarantine ?? 0);
}
