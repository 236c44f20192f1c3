import type { PeekedStoredRecord, PeekRequest } from '@digests/core';
import { sql } from 'kysely';
import { type RecordRow, recordOf, storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Db } from '../transaction.js';
import { rows } from './statements.js';

/**
 * One page of a key's timeline and snapshot rows in peek order (timestamp
 * descending, record key bytes descending, a timeline row before a snapshot
 * row of the same key), strictly after `after`. One read; no lock, no touch.
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
    position = sql`(timestamp < ${t} or (timestamp = ${t} and (record_key < ${k}
      or (record_key = ${k} and snapshot > ${s}))))`;
  }
  const found = await rows(
    db,
    sql<RecordRow & { snapshot: number }>`
      select record_key, value, value_is_text, timestamp, snapshot from ${sql.table(names.records)}
      where timeline_id = ${id} and ${position}
      order by timestamp desc, record_key desc, snapshot asc limit ${limit}`,
  );
  return found.map((row) => ({ ...recordOf(row), inSnapshot: row.snapshot === 1 }));
}
