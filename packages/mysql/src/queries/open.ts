import type { OpenRequest, OpenResult } from '@digests/core';
import { sql } from 'kysely';
import { procedureNames } from '../procedures.js';
import { type RecordRow, recordOf, storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import { type Db, withRetries } from '../transaction.js';
import { call } from './statements.js';

/**
 * Opens a digest with one `call` of the store's `open_digest` procedure (one
 * transaction on the server): locks the timeline row, checks the lease and
 * the state, makes the timeline the snapshot — with no left-over snapshot by
 * flipping the row's `timeline_side`, which moves no record; otherwise by
 * merging the timeline's records into the left-over side (a record key in
 * both keeps the newer, the timeline's on a tie) — trims it to `capacity`,
 * sets the lease and reads the snapshot: all of it, or with `limit` only its
 * oldest `limit` rows (the `(timeline_id, side, timestamp, record_key)`
 * index). The records are sorted newest first here.
 *
 * @example
 * ```ts
 * const opened = await openDigest(db, names, request);
 * ```
 */
export async function openDigest(
  db: Db,
  names: TableNames,
  request: OpenRequest,
): Promise<OpenResult> {
  const { id } = storedKey(request.key);
  const procedure = sql.id(procedureNames(names).open);
  const [head, found] = await withRetries(() =>
    call(
      db,
      sql`call ${procedure}(${id}, ${request.token}, ${request.expiresAt}, ${request.now},
        ${request.touch ? 1 : 0}, ${request.capacity ?? null}, ${request.limit ?? null})`,
    ),
  );
  const outcome = (head?.[0] as { outcome?: string } | undefined)?.outcome;
  if (outcome === 'conflict') return { outcome: 'conflict' };
  if (outcome !== 'opened') return { outcome: 'not-ready' };
  const records = (found ?? []) as RecordRow[];
  records.sort(newestFirst);
  return { outcome: 'opened', records: records.map(recordOf) };
}

/** Timestamp descending, then record key bytes (code-point order) descending. */
function newestFirst(a: RecordRow, b: RecordRow): number {
  return b.timestamp - a.timestamp || Buffer.compare(b.record_key, a.record_key);
}
