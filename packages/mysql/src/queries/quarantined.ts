import type { StoredRecord } from '@digests/core';
import { sql } from 'kysely';
import { type RecordRow, recordOf, storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Db } from '../transaction.js';
import { affected, rows, slices } from './statements.js';

/**
 * The quarantined values of `key`, raw, oldest first (timestamp, then record key).
 *
 * @example
 * ```ts
 * const poison = await readQuarantined(db, names, 'mail:p:1');
 * ```
 */
export async function readQuarantined(
  db: Db,
  names: TableNames,
  key: string,
): Promise<StoredRecord[]> {
  const { id } = storedKey(key);
  const found = await rows(
    db,
    sql<RecordRow>`
      select record_key, value, value_is_text, timestamp from ${sql.table(names.quarantine)}
      where timeline_id = ${id} order by timestamp, record_key`,
  );
  return found.map(recordOf);
}

/**
 * Deletes the named quarantined values of `key`, or all of them; resolves how many.
 *
 * @example
 * ```ts
 * await deleteQuarantinedValues(db, names, 'mail:p:1', undefined);
 * ```
 */
export async function deleteQuarantinedValues(
  db: Db,
  names: TableNames,
  key: string,
  recordKeys: readonly string[] | undefined,
): Promise<number> {
  const { id } = storedKey(key);
  const quarantine = sql.table(names.quarantine);
  if (recordKeys === undefined) {
    return affected(db, sql`delete from ${quarantine} where timeline_id = ${id}`);
  }
  let deleted = 0;
  for (const slice of slices(recordKeys.map((recordKey) => storedKey(recordKey).id))) {
    deleted += await affected(
      db,
      sql`delete from ${quarantine} where timeline_id = ${id} and record_id in (${sql.join(slice)})`,
    );
  }
  return deleted;
}
