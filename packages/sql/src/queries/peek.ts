import type { PeekRequest } from '@digests/core';
import { type Kysely, sql } from 'kysely';
import type { DigestsDatabase, RecordsTable } from '../schema.js';
import { keyBytes } from '../stored-values.js';

/**
 * SPEC `peek` as one statement: up to `limit` of a key's timeline and
 * snapshot records strictly after `after`, newest first (timestamp, then
 * record key bytes, a timeline record before a snapshot record of the same
 * key), changing nothing. `snapshot` comes back 1 for a snapshot record;
 * with `liveSide` (see `SqlDialectParts.liveSide`) it is read against the
 * timeline row's `live` column in the same statement.
 *
 * @example
 * ```ts
 * const rows = await peekRecords(db, storedKey('mail:p:1').id, { limit: 51 });
 * ```
 */
export function peekRecords(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
  request: PeekRequest,
  liveSide = false,
): Promise<
  Pick<RecordsTable, 'snapshot' | 'record_key' | 'value' | 'value_is_text' | 'timestamp'>[]
> {
  const side = liveSide
    ? sql<number>`(case when ${sql.ref('records.snapshot')} = ${sql.ref('timelines.live')} then 0 else 1 end)`
    : sql<number>`${sql.ref('records.snapshot')}`;
  let query = db
    .selectFrom('records')
    .$if(liveSide, (q) => q.innerJoin('timelines', 'timelines.timeline_id', 'records.timeline_id'))
    .select([
      side.as('snapshot'),
      'records.record_key',
      'records.value',
      'records.value_is_text',
      'records.timestamp',
    ])
    .where('records.timeline_id', '=', timelineId);
  const { after } = request;
  if (after !== undefined) {
    const key = keyBytes(after.key);
    const snapshot = after.inSnapshot ? 1 : 0;
    query = query
      .where('records.timestamp', '<=', after.timestamp)
      .where((eb) =>
        eb.or([
          eb('records.timestamp', '<', after.timestamp),
          eb('records.record_key', '<', key),
          eb.and([eb('records.record_key', '=', key), eb(side, '>', snapshot)]),
        ]),
      );
  }
  return query
    .orderBy('records.timestamp', 'desc')
    .orderBy('records.record_key', 'desc')
    .orderBy(side)
    .limit(request.limit)
    .execute();
}
