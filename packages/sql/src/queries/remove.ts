import { type Kysely, sql } from 'kysely';
import type { DigestsDatabase } from '../schema.js';

/**
 * SPEC `remove` inside the caller's write transaction: deletes the named
 * records from the timeline, and from a left-over snapshot unless a digest
 * holds its lease at `now` (those records are being delivered). The
 * schedule is left alone. Resolves how many rows went. With `liveSide`
 * (see `SqlDialectParts.liveSide`) the timeline is the side named by the
 * timeline row's `live` column, else `snapshot = 0`.
 *
 * @example
 * ```ts
 * await parts.transaction(db, (trx) => removeRecords(trx, id, ids, now, true));
 * ```
 */
export async function removeRecords(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
  recordIds: readonly Uint8Array[],
  now: number,
  rowLocking: boolean,
  liveSide = false,
): Promise<number> {
  let query = db
    .selectFrom('timelines')
    .select(['lease_token', 'lease_expires_at'])
    .select(liveSide ? sql<number>`live`.as('live') : sql<number>`0`.as('live'))
    .where('timeline_id', '=', timelineId);
  if (rowLocking) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  // Records never outlive their timeline row.
  if (row === undefined) return 0;
  const leased = row.lease_token !== null && (row.lease_expires_at ?? -Infinity) > now;
  let removed = db
    .deleteFrom('records')
    .where('timeline_id', '=', timelineId)
    .where('record_id', 'in', [...recordIds]);
  if (leased) removed = removed.where('snapshot', '=', Number(row.live));
  const result = await removed.executeTakeFirst();
  return Number(result.numDeletedRows);
}
