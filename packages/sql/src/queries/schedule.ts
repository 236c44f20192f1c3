import { earliestFirst, type ScheduleEntry } from '@digests/core';
import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';
import { keyText } from '../stored-values.js';

/**
 * One chunk of SPEC `schedule`, one statement: moves up to `limit` waiting
 * keys with score ≤ `deadline` (earliest first) to ready and resolves them,
 * earliest first. With `skipLocked` (PostgreSQL) the claim uses
 * `FOR UPDATE SKIP LOCKED`: concurrent schedulers take disjoint rows, never
 * wait on each other, and a row another scheduler already moved fails the
 * re-check, so no transition is yielded twice.
 *
 * @example
 * ```ts
 * const entries = await claimDue(db, Date.now(), 1000, true);
 * ```
 */
export async function claimDue(
  db: Kysely<DigestsDatabase>,
  deadline: number,
  limit: number,
  skipLocked: boolean,
): Promise<ScheduleEntry[]> {
  let due = db
    .selectFrom('timelines')
    .select('timeline_id')
    .where('state', '=', 'waiting')
    .where('score', '<=', deadline)
    .orderBy('score')
    .orderBy('timeline_key')
    .limit(limit);
  if (skipLocked) due = due.forUpdate().skipLocked();
  let claim = db.updateTable('timelines').set({ state: 'ready' }).where('timeline_id', 'in', due);
  // The re-check serves concurrent schedulers (PostgreSQL). Without row
  // locks (SQLite: one writer, the statement's own subquery chose waiting
  // rows) it is left out: SQLite would serve it from the `timelines_due`
  // index and walk every waiting key instead of the chosen ids.
  if (skipLocked) claim = claim.where('state', '=', 'waiting');
  const rows = await claim.returning(['timeline_key', 'score']).execute();
  return rows
    .map((row) => ({ key: keyText(row.timeline_key), timestamp: row.score }))
    .sort(earliestFirst);
}
