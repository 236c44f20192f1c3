import type { PeekRequest } from '@digests/core';
import type { Kysely } from 'kysely';
import type { DigestsDatabase, RecordsTable } from '../schema.js';
import { keyBytes } from '../stored-values.js';

/**
 * SPEC `peek` as one statement: up to `limit` of a key's timeline and
 * snapshot records strictly after `after`, newest first (timestamp, then
 * record key bytes, a timeline record before a snapshot record of the same
 * key), changing nothing.
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
): Promise<
  Pick<RecordsTable, 'snapshot' | 'record_key' | 'value' | 'value_is_text' | 'timestamp'>[]
> {
  let query = db
    .selectFrom('records')
    .select(['snapshot', 'record_key', 'value', 'value_is_text', 'timestamp'])
    .where('timeline_id', '=', timelineId);
  const { after } = request;
  if (after !== undefined) {
    const key = keyBytes(after.key);
    const snapshot = after.inSnapshot ? 1 : 0;
    query = query
      .where('timestamp', '<=', after.timestamp)
      .where((eb) =>
        eb.or([
          eb('timestamp', '<', after.timestamp),
          eb('record_key', '<', key),
          eb.and([eb('record_key', '=', key), eb('snapshot', '>', snapshot)]),
        ]),
      );
  }
  return query
    .orderBy('timestamp', 'desc')
    .orderBy('record_key', 'desc')
    .orderBy('snapshot')
    .limit(request.limit)
    .execute();
}
