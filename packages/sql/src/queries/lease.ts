import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { DigestsDatabase } from '../schema.js';

/**
 * `true` where no digest holds the timeline's lease at `now`: there is none,
 * or it expired.
 *
 * @example
 * ```ts
 * db.selectFrom('timelines').where((eb) => leaseFree(eb, now));
 * ```
 */
export function leaseFree(
  eb: ExpressionBuilder<DigestsDatabase, 'timelines'>,
  now: number,
): Expression<SqlBool> {
  return eb.or([eb('lease_token', 'is', null), eb('lease_expires_at', '<=', now)]);
}

/**
 * Extends the lease to `expiresAt` if `token` still holds it; resolves
 * whether it did.
 *
 * @example
 * ```ts
 * const ours = await renewLease(db, id, token, clock() + leaseDuration);
 * ```
 */
export async function renewLease(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
  token: string,
  expiresAt: number,
): Promise<boolean> {
  const result = await db
    .updateTable('timelines')
    .set({ lease_expires_at: expiresAt })
    .where('timeline_id', '=', timelineId)
    .where('lease_token', '=', token)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Gives the lease back if `token` still holds it (after the caller's function failed).
 *
 * @example
 * ```ts
 * await releaseLease(db, id, token);
 * ```
 */
export async function releaseLease(
  db: Kysely<DigestsDatabase>,
  timelineId: Uint8Array,
  token: string,
): Promise<void> {
  await db
    .updateTable('timelines')
    .set({ lease_token: null, lease_expires_at: null })
    .where('timeline_id', '=', timelineId)
    .where('lease_token', '=', token)
    .execute();
}
