import type { CommitRequest } from '@digests/core';
import { sql } from 'kysely';
import { procedureNames } from '../procedures.js';
import { storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import { type Db, inTransaction, type Tx, withRetries } from '../transaction.js';
import { snapshotSide } from './lease.js';
import { affected, call, rows, slices, WAITING } from './statements.js';

/**
 * Commits a digest, if `token` still holds the lease: deletes the delivered
 * snapshot rows (all of them, or the named ones of a limited digest), drops
 * the lease, then
 * - snapshot rows remain → the key stays where it is, L = now;
 * - else, something was delivered or the timeline holds rows → waiting at
 *   now + minimumDelay, L = now;
 * - else → the timeline row is deleted (absent; L forgotten).
 * Resolves `false`, changing nothing, when the lease is gone. A whole
 * snapshot commits with one `call` of `commit_digest`; a limited digest's
 * named rows in one transaction of statements.
 *
 * @example
 * ```ts
 * const ours = await commitDigest(db, true, names, request);
 * ```
 */
export async function commitDigest(
  db: Db,
  sessionIsolation: boolean,
  names: TableNames,
  request: CommitRequest,
): Promise<boolean> {
  const { id } = storedKey(request.key);
  if (request.delivered !== undefined) {
    return inTransaction(db, sessionIsolation, (tx) => commitNamed(tx, names, id, request));
  }
  const procedure = sql.id(procedureNames(names).commit);
  const [head] = await withRetries(() =>
    call(
      db,
      sql`call ${procedure}(${id}, ${request.token}, ${request.now}, ${request.minimumDelay},
        ${request.touch ? 1 : 0})`,
    ),
  );
  return Number((head?.[0] as { ours?: unknown } | undefined)?.ours) === 1;
}

async function commitNamed(
  tx: Tx,
  names: TableNames,
  id: Buffer,
  request: CommitRequest,
): Promise<boolean> {
  const { now } = request;
  const timelines = sql.table(names.timelines);
  const records = sql.table(names.records);
  const snapshot = await snapshotSide(tx, names, id, request.token);
  if (snapshot === undefined) return false;
  let delivered = 0;
  for (const slice of slices((request.delivered ?? []).map((key) => storedKey(key).id))) {
    delivered += await affected(
      tx,
      sql`delete from ${records}
          where timeline_id = ${id} and side = ${snapshot} and record_id in (${sql.join(slice)})`,
    );
  }
  const [held] = await rows(
    tx,
    sql<{ snapshot: number; timeline: number }>`
      select exists(select 1 from ${records} where timeline_id = ${id} and side = ${snapshot}) as snapshot,
             exists(select 1 from ${records} where timeline_id = ${id} and side = ${1 - snapshot}) as timeline`,
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
