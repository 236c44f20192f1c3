import { InvalidStateError, LeaseConflictError } from '@digests/core';
import type { Kysely } from 'kysely';
import type { DigestsDatabase, RecordsTable } from '../schema.js';
import { trimRecords } from './trim.js';

/** What a digest needs to open: who takes the lease, until when, and the trim. */
export interface OpenDigest {
  /** The timeline's id (see `storedKey`). */
  readonly timelineId: Uint8Array;
  /** For error messages. */
  readonly keyText: string;
  readonly now: number;
  readonly token: string;
  readonly expiresAt: number;
  readonly capacity: number | undefined;
  /** Lock the timeline row first (`SELECT … FOR UPDATE`, PostgreSQL). */
  readonly rowLocking: boolean;
}

/** A snapshot record as stored. */
export type StoredRecordRow = Pick<
  RecordsTable,
  'record_key' | 'value' | 'value_is_text' | 'timestamp'
>;

/**
 * SPEC digest steps 1–3 inside the caller's write transaction: take the
 * lease (`LeaseConflictError` if held), require `ready`
 * (`InvalidStateError`), merge the timeline into the snapshot as core's
 * `mergeSnapshot` does (a record key in both keeps the newer; tie → the
 * timeline's), trim the snapshot to `capacity`, empty the timeline. Resolves
 * the snapshot, newest first.
 *
 * @example
 * ```ts
 * const rows = await parts.transaction(db, (trx) => openDigest(trx, { timelineId, keyText, now, token, expiresAt, capacity, rowLocking }));
 * ```
 */
export async function openDigest(
  db: Kysely<DigestsDatabase>,
  open: OpenDigest,
): Promise<StoredRecordRow[]> {
  let query = db
    .selectFrom('timelines')
    .select(['state', 'lease_token', 'lease_expires_at'])
    .where('timeline_id', '=', open.timelineId);
  if (open.rowLocking) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row?.lease_token != null && (row.lease_expires_at ?? -Infinity) > open.now) {
    throw new LeaseConflictError(`another digest holds the lease of ${open.keyText}`);
  }
  if (row?.state !== 'ready') throw new InvalidStateError(`${open.keyText} is not ready`);

  // Snapshot records the timeline supersedes (same key, timestamp ≥) go…
  await db
    .deleteFrom('records as s')
    .where('s.timeline_id', '=', open.timelineId)
    .where('s.snapshot', '=', 1)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('records as t')
          .select('t.record_key')
          .where('t.timeline_id', '=', open.timelineId)
          .where('t.snapshot', '=', 0)
          .whereRef('t.record_id', '=', 's.record_id')
          .whereRef('t.timestamp', '>=', 's.timestamp'),
      ),
    )
    .execute();
  // …then timeline records the snapshot still has (it holds the newer one)…
  await db
    .deleteFrom('records as t')
    .where('t.timeline_id', '=', open.timelineId)
    .where('t.snapshot', '=', 0)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('records as s')
          .select('s.record_key')
          .where('s.timeline_id', '=', open.timelineId)
          .where('s.snapshot', '=', 1)
          .whereRef('s.record_id', '=', 't.record_id'),
      ),
    )
    .execute();
  // …and the rest of the timeline moves into the snapshot.
  await db
    .updateTable('records')
    .set({ snapshot: 1 })
    .where('timeline_id', '=', open.timelineId)
    .where('snapshot', '=', 0)
    .execute();
  if (open.capacity !== undefined) await trimRecords(db, open.timelineId, 1, open.capacity);
  await db
    .updateTable('timelines')
    .set({ lease_token: open.token, lease_expires_at: open.expiresAt, touched_at: open.now })
    .where('timeline_id', '=', open.timelineId)
    .execute();
  return db
    .selectFrom('records')
    .select(['record_key', 'value', 'value_is_text', 'timestamp'])
    .where('timeline_id', '=', open.timelineId)
    .where('snapshot', '=', 1)
    .orderBy('timestamp', 'desc')
    .orderBy('record_key', 'desc')
    .execute();
}
