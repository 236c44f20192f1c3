import type { PeekedStoredRecord, PeekRequest } from '@digests/core';
import { sql } from 'kysely';
import { type RecordRow, recordOf, storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Db } from '../transaction.js';
import { rows } from './statements.js';

/**
 * One page of a key's timeline and snapshot rows in peek order (timestamp
 * descending, record key bytes descending, a timeline row before a snapshot
 * row of the same key), strictly after `after`. One read (the records
 * joined to their timeline row, whose `timeline_side` tells timeline from
 * snapshot); no lock, no touch.
 *
 * @example
 * ```ts
 * const page = await peekRecords(db, names, 'mail:p:1', { limit: 51 });
 * ```
 */
export async function peekRecords(
  db: Db,
  names: TableNames,
  key: string,
  { after, limit }: PeekRequest,
): Promise<PeekedStoredRecord[]> {
  const { id } = storedKey(key);
  let position = sql`true`;
  if (after !== undefined) {
    const t = after.timestamp;
    const k = Buffer.from(after.key, 'utf8');
    const s = after.inSnapshot ? 1 : 0;
    position = sql`(r.timestamp < ${t} or (r.timestamp = ${t} and (r.record_key < ${k}
      or (r.record_key = ${k} and (r.side <> l.timeline_side) > ${s}))))`;
  }
  // A record is in the snapshot when it is not on the timeline row's side.
  const found = await rows(
    db,
    sql<RecordRow & { in_snapshot: number }>`
      select r.record_key, r.value, r.value_is_text, r.timestamp,
        (r.side <> l.timeline_side) as in_snapshot
      from ${sql.table(names.records)} r join ${sql.table(names.timelines)} l
        on l.timeline_id = r.timeline_id
      where r.timeline_id = ${id} and ${position}
      order by r.timestamp desc, r.record_key desc, in_snapshot asc limit ${limit}`,
  );
  return found.map((row) => ({ ...recordOf(row), inSnapshot: Number(row.in_snapshot) === 1 }));
}
