import type { CommitRequest } from '@digests/core';
import { sql } from 'kysely';
import { storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Tx } from '../transaction.js';
import { holdsLease } from './lease.js';
import { affected, rows, slices, WAITING } from './statements.js';

/**
 * Commits a digest in one transaction, if `token` still holds the lease:
 * deletes the delivered snapshot rows (all of them, or the named ones of a
 * limited digest), drops the lease, then
 * - snapshot rows remain → the key stays where it is, L = now;
 * - else, something was delivered or the timeline holds rows → waiting at
 *   now + minimumDelay, L = now;
 * - else → the timeline row is deleted (absent; L forgotten).
 * Resolves `false`, changing nothing, when the lease is gone.
 *
 * @example
 * ```ts
 * const ours = await inTransaction(db, true, (tx) => commitDigest(tx, names, request));
 * ```
 */
export async function commitDigest(
  tx: Tx,
  names: TableNames,
  request: CommitRequest,
): Promise<boolean> {
  const { now } = request;
  const timelines = sql.table(names.timelines);
  const records = sql.table(names.records);
  const { id } = storedKey(request.key);
  if (!(await holdsLease(tx, names, id, request.token))) return false;

  let delivered = 0;
  if (request.delivered === undefined) {
    delivered = await affected(
      tx,
      sql`delete from ${records} where timeline_id = ${id} and snapshot = 1`,
    );
  } else {
    for (const slice of slices(request.delivered.map((recordKey) => storedKey(recordKey).id))) {
      delivered += await affected(
        tx,
        sql`delete from ${records}
            where timeline_id = ${id} and snapshot = 1 and record_id in (${sql.join(slice)})`,
      );
    }
  }
  const [held] = await rows(
    tx,
    sql<{ snapshot: number; timeline: number }>`
      select exists(select 1 from ${records} where timeline_id = ${id} and snapshot = 1) as snapshot,
             exists(select 1 from ${records} where timeline_id = ${id} and snapshot = 0) as timeline`,
  );
  const touched = request.touch ? now : sql`touched_at`;
  if (held?.snapshot === 1) {
    await sql`
      update ${timelines} set lease_token = null, lease_expires_at = null,
        last_processed = ${now}, touched_at = ${touched}
      where timeline_id = ${id}`.execute(tx);
  } else if (delivered > 0 || held?.timeline === 1) {
    await sql`
      update ${timelines} set state = ${WAITING}, score = ${now + request.minimumDelay},
        lease_token = null, lease_expires_at = null, has_snapshot = 0,
        last_processed = ${now}, touched_at = ${touched}
      where timeline_id = ${id}`.execute(tx);
  } else {
    await sql`delete from ${timelines} where timeline_id = ${id}`.execute(tx);
  }
  return true;
}
