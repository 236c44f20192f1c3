import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';

/** A successful digest to commit. */
export interface CommitDigest {
  readonly timelineId: Uint8Array;
  readonly token: string;
  /** The clock at commit: becomes L. */
  readonly now: number;
  readonly minimumDelay: number;
  readonly rowLocking: boolean;
}

/**
 * SPEC digest step 6 inside the caller's write transaction, verifying the
 * lease first: resolves `false` (and changes nothing) when `token` no longer
 * holds it. Otherwise removes the snapshot, then either schedules the key
 * `waiting` at now + minimumDelay with L = now (the snapshot or the timeline
 * held a record) or removes the timeline entirely.
 *
 * @example
 * ```ts
 * const ours = await parts.transaction(db, (trx) => commitDigest(trx, { timelineId, token, now, minimumDelay, rowLocking }));
 * if (!ours) throw new LeaseLostError(…);
 * ```
 */
export async function commitDigest(
  db: Kysely<DigestsDatabase>,
  commit: CommitDigest,
): Promise<boolean> {
  let query = db
    .selectFrom('timelines')
    .select('lease_token')
    .where('timeline_id', '=', commit.timelineId);
  if (commit.rowLocking) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row === undefined || row.lease_token !== commit.token) return false;

  const removed = await db
    .deleteFrom('records')
    .where('timeline_id', '=', commit.timelineId)
    .where('snapshot', '=', 1)
    .executeTakeFirst();
  const waiting = await db
    .selectFrom('records')
    .select('snapshot')
    .where('timeline_id', '=', commit.timelineId)
    .limit(1)
    .executeTakeFirst();
  if (removed.numDeletedRows > 0n || waiting !== undefined) {
    await db
      .updateTable('timelines')
      .set({
        state: 'waiting',
        score: commit.now + commit.minimumDelay,
        last_processed: commit.now,
        lease_token: null,
        lease_expires_at: null,
        touched_at: commit.now,
      })
      .where('timeline_id', '=', commit.timelineId)
      .execute();
  } else {
    await db.deleteFrom('timelines').where('timeline_id', '=', commit.timelineId).execute();
  }
  return true;
}
