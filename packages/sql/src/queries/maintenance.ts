import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';
import { leaseFree } from './lease.js';

/**
 * The first half of SPEC `maintenance`, one statement: ready keys with score
 * ≤ `deadline` whose lease is not held at `now` go back to waiting, keeping
 * their score. Resolves how many moved. With `skipLocked` (PostgreSQL) a row
 * another operation holds is left for the next run instead of waited on.
 *
 * @example
 * ```ts
 * const moved = await requeueStuck(db, Date.now() - 60_000, Date.now(), true);
 * ```
 */
export async function requeueStuck(
  db: Kysely<DigestsDatabase>,
  deadline: number,
  now: number,
  skipLocked: boolean,
): Promise<number> {
  let stuck = db
    .selectFrom('timelines')
    .select('timeline_id')
    .where('state', '=', 'ready')
    .where('score', '<=', deadline)
    .where((eb) => leaseFree(eb, now));
  if (skipLocked) stuck = stuck.forUpdate().skipLocked();
  const result = await db
    .updateTable('timelines')
    .set({ state: 'waiting' })
    .where('timeline_id', 'in', stuck)
    .where('state', '=', 'ready')
    .where((eb) => leaseFree(eb, now))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The `ttl` half of SPEC `maintenance`, inside the caller's write
 * transaction: discards up to `limit` timelines (schedule row, L, records,
 * snapshot, quarantine) last touched at or before `touchedBefore` whose lease is not held.
 * Resolves how many were discarded; call again while it returns `limit`.
 *
 * @example
 * ```ts
 * await parts.transaction(db, (trx) => expireTimelines(trx, now - ttl, now, 500, true));
 * ```
 */
export async function expireTimelines(
  db: Kysely<DigestsDatabase>,
  touchedBefore: number,
  now: number,
  limit: number,
  skipLocked: boolean,
): Promise<number> {
  let expired = db
    .selectFrom('timelines')
    .select('timeline_id')
    .where('touched_at', '<=', touchedBefore)
    .where((eb) => leaseFree(eb, now))
    .limit(limit);
  if (skipLocked) expired = expired.forUpdate().skipLocked();
  const rows = await db
    .deleteFrom('timelines')
    .where('timeline_id', 'in', expired)
    .returning('timeline_id')
    .execute();
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.timeline_id);
  await db.deleteFrom('records').where('timeline_id', 'in', ids).execute();
  await db.deleteFrom('quarantine').where('timeline_id', 'in', ids).execute();
  return rows.length;
}
