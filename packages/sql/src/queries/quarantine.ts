import { type Kysely, sql } from 'kysely';
import type { DigestsDatabase, QuarantineTable } from '../schema.js';

/**
 * SPEC digest step 9 inside the caller's write transaction: if `token`
 * still holds the lease, moves the named snapshot records into the
 * quarantine (raw bytes kept, a value quarantined before under the same
 * record key replaced). Resolves how many moved. With `liveSide` (see
 * `SqlDialectParts.liveSide`) the snapshot is the side the timeline row's
 * `live` column does not name, else `snapshot = 1`.
 *
 * @example
 * ```ts
 * await parts.transaction(db, (trx) => quarantineRecords(trx, id, token, ids, true));
 * ```
 */
export async function quarantineRecords(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
  token: string,
  recordIds: readonly Uint8Array[],
  rowLocking: boolean,
  liveSide = false,
): Promise<number> {
  let query = db
    .selectFrom('timelines')
    .select('lease_token')
    .select(liveSide ? sql<number>`1 - live`.as('snapshot') : sql<number>`1`.as('snapshot'))
    .where('timeline_id', '=', timelineId);
  if (rowLocking) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row?.lease_token !== token || recordIds.length === 0) return 0;
  const snapshot = Number(row.snapshot);
  const poisoned = () =>
    db
      .selectFrom('records')
      .where('timeline_id', '=', timelineId)
      .where('snapshot', '=', snapshot)
      .where('record_id', 'in', [...recordIds]);
  await db
    .insertInto('quarantine')
    .columns(['timeline_id', 'record_id', 'record_key', 'value', 'value_is_text', 'timestamp'])
    .expression(
      poisoned().select([
        'timeline_id',
        'record_id',
        'record_key',
        'value',
        'value_is_text',
        'timestamp',
      ]),
    )
    .onConflict((oc) =>
      oc.columns(['timeline_id', 'record_id']).doUpdateSet((eb) => ({
        record_key: eb.ref('excluded.record_key'),
        value: eb.ref('excluded.value'),
        value_is_text: eb.ref('excluded.value_is_text'),
        timestamp: eb.ref('excluded.timestamp'),
      })),
    )
    .execute();
  const moved = await db
    .deleteFrom('records')
    .where('timeline_id', '=', timelineId)
    .where('snapshot', '=', snapshot)
    .where('record_id', 'in', [...recordIds])
    .executeTakeFirst();
  return Number(moved.numDeletedRows);
}

/**
 * The quarantined values of a key, oldest first (timestamp, then record key bytes).
 *
 * @example
 * ```ts
 * const rows = await readQuarantine(db, storedKey('mail:p:1').id);
 * ```
 */
export function readQuarantine(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
): Promise<Pick<QuarantineTable, 'record_key' | 'value' | 'value_is_text' | 'timestamp'>[]> {
  return db
    .selectFrom('quarantine')
    .select(['record_key', 'value', 'value_is_text', 'timestamp'])
    .where('timeline_id', '=', timelineId)
    .orderBy('timestamp')
    .orderBy('record_key')
    .execute();
}

/**
 * Deletes the named quarantined values of a key, or all of them
 * (`recordIds` undefined); one statement. Resolves how many went.
 *
 * @example
 * ```ts
 * await parts.write(db, (w) => deleteQuarantine(w, storedKey('mail:p:1').id, undefined));
 * ```
 */
export async function deleteQuarantine(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
  recordIds: readonly Uint8Array[] | undefined,
): Promise<number> {
  if (recordIds?.length === 0) return 0;
  let query = db.deleteFrom('quarantine').where('timeline_id', '=', timelineId);
  if (recordIds !== undefined) query = query.where('record_id', 'in', [...recordIds]);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
