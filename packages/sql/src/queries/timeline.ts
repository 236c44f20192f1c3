import type { TimelineInfo } from '@digests/core';
import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';

/**
 * SPEC `inspect` in one statement: state, score, L, and the size of the
 * timeline plus its snapshot.
 *
 * @example
 * ```ts
 * await inspectTimeline(db, storedKey('mail:p:1').id); // { state: 'waiting', score: 1_000, size: 3 }
 * ```
 */
export async function inspectTimeline(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
): Promise<TimelineInfo> {
  const row = await db
    .selectFrom('timelines as t')
    .select(['t.state', 't.score', 't.last_processed'])
    .select(({ selectFrom }) =>
      selectFrom('records as r')
        .select(({ fn }) => fn.countAll().as('n'))
        .whereRef('r.timeline_id', '=', 't.timeline_id')
        .as('size'),
    )
    .where('t.timeline_id', '=', timelineId)
    .executeTakeFirst();
  if (row === undefined) return { state: 'absent', size: 0 };
  const info = { state: row.state, score: row.score, size: Number(row.size ?? 0) };
  return row.last_processed === null ? info : { ...info, lastProcessed: row.last_processed };
}

/**
 * SPEC `delete` inside the caller's write transaction: the schedule row
 * (which drops the lease and L) first, so PostgreSQL locks it before the
 * records go; then every record of the timeline and its snapshot.
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
  const removed = await db
    .deleteFrom('timelines')
    .where('timeline_id', '=', timelineId)
    .executeTakeFirst();
  // Records never outlive their timeline row, so there is nothing else to do.
  if (removed.numDeletedRows === 0n) return;
  await db.deleteFrom('records').where('timeline_id', '=', timelineId).execute();
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
 * How many rows this backend's tables hold (timelines plus records), for
 * leak checks; the migration tables are not counted.
 *
 * @example
 * ```ts
 * await countStoredRows(db); // 0 once every timeline was drained
 * ```
 */
export async function countStoredRows(db: Kysely<DigestsDatabase>): Promise<number> {
  const timelines = await db
    .selectFrom('timelines')
    .select(({ fn }) => fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const records = await db
    .selectFrom('records')
    .select(({ fn }) => fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(timelines.n) + Number(records.n);
}
