import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';

/**
 * Keeps the `capacity` newest records of one part of a timeline (timeline
 * `snapshot = 0` or snapshot `snapshot = 1`), newest by timestamp, ties by
 * record key: finds the last record kept, deletes everything older. Both
 * statements are plain SQL in PostgreSQL and SQLite. Resolves how many were
 * deleted.
 *
 * @example
 * ```ts
 * await trimRecords(trx, storedKey('mail:p:1').id, 0, 100);
 * ```
 */
export async function trimRecords(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
  snapshot: 0 | 1,
  capacity: number,
): Promise<number> {
  const last = await db
    .selectFrom('records')
    .select(['timestamp', 'record_key'])
    .where('timeline_id', '=', timelineId)
    .where('snapshot', '=', snapshot)
    .orderBy('timestamp', 'desc')
    .orderBy('record_key', 'desc')
    .limit(1)
    .offset(capacity - 1)
    .executeTakeFirst();
  if (last === undefined) return 0;
  const result = await db
    .deleteFrom('records')
    .where('timeline_id', '=', timelineId)
    .where('snapshot', '=', snapshot)
    .where((eb) =>
      eb.or([
        eb('timestamp', '<', last.timestamp),
        eb.and([eb('timestamp', '=', last.timestamp), eb('record_key', '<', last.record_key)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
