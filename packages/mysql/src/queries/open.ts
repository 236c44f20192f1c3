import type { OpenRequest, OpenResult } from '@digests/core';
import { sql } from 'kysely';
import { type RecordRow, recordOf, storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Tx } from '../transaction.js';
import { trimNewest } from './add.js';
import { READY, rows } from './statements.js';

/**
 * Opens a digest in one transaction: locks the timeline row, checks the
 * lease and the state, merges the timeline into the snapshot (`snapshot = 1`
 * rows; a record key in both keeps the newer, the timeline's on a tie),
 * trims it to `capacity`, sets the lease and reads the snapshot — all of it,
 * newest first, or with `limit` only its oldest `limit` rows (the
 * `(timeline_id, snapshot, timestamp, record_key)` index), so a digest's
 * reads are bounded by `limit` whatever the timeline holds.
 *
 * @example
 * ```ts
 * const opened = await inTransaction(db, true, (tx) => openDigest(tx, names, request));
 * ```
 */
export async function openDigest(
  tx: Tx,
  names: TableNames,
  request: OpenRequest,
): Promise<OpenResult> {
  const timelines = sql.table(names.timelines);
  const records = sql.table(names.records);
  const { id } = storedKey(request.key);
  const [row] = await rows(
    tx,
    sql<{
      state: number;
      lease_token: string | null;
      lease_expires_at: number | null;
      has_snapshot: number;
    }>`
      select state, lease_token, lease_expires_at, has_snapshot from ${timelines}
      where timeline_id = ${id} for update`,
  );
  if (row === undefined) return { outcome: 'not-ready' };
  if (row.lease_token !== null && (row.lease_expires_at ?? 0) > request.now) {
    return { outcome: 'conflict' };
  }
  if (row.state !== READY) return { outcome: 'not-ready' };

  if (row.has_snapshot === 1) {
    // Left-over snapshot rows the timeline supersedes, then timeline rows a newer left-over supersedes.
    await sql`
      delete s from ${records} s join ${records} t
        on t.timeline_id = s.timeline_id and t.snapshot = 0 and t.record_id = s.record_id
      where s.timeline_id = ${id} and s.snapshot = 1 and t.timestamp >= s.timestamp`.execute(tx);
    await sql`
      delete t from ${records} t join ${records} s
        on s.timeline_id = t.timeline_id and s.snapshot = 1 and s.record_id = t.record_id
      where t.timeline_id = ${id} and t.snapshot = 0`.execute(tx);
  }
  await sql`update ${records} set snapshot = 1 where timeline_id = ${id} and snapshot = 0`.execute(
    tx,
  );
  if (request.capacity !== undefined) await trimNewest(tx, names, id, 1, request.capacity);
  await sql`
    update ${timelines} set lease_token = ${request.token}, lease_expires_at = ${request.expiresAt},
      has_snapshot = 1, touched_at = ${request.touch ? request.now : sql`touched_at`}
    where timeline_id = ${id}`.execute(tx);

  const { limit } = request;
  const found =
    limit === undefined
      ? await rows(
          tx,
          sql<RecordRow>`
            select record_key, value, value_is_text, timestamp from ${records}
            where timeline_id = ${id} and snapshot = 1
            order by timestamp desc, record_key desc`,
        )
      : (
          await rows(
            tx,
            sql<RecordRow>`
              select record_key, value, value_is_text, timestamp from ${records}
              where timeline_id = ${id} and snapshot = 1
              order by timestamp asc, record_key asc limit ${limit}`,
          )
        ).reverse();
  return { outcome: 'opened', records: found.map(recordOf) };
}
