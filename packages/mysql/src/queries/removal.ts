import { sql } from 'kysely';
import { storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Tx } from '../transaction.js';
import { affected, atMost, rows, slices } from './statements.js';

/**
 * Removes everything of one key — records, snapshot, quarantine, L, lease,
 * schedule — in one transaction, the timeline row locked first like every
 * other writer.
 *
 * @example
 * ```ts
 * await inTransaction(db, true, (tx) => deleteKey(tx, names, 'mail:p:1'));
 * ```
 */
export async function deleteKey(tx: Tx, names: TableNames, key: string): Promise<void> {
  const { id } = storedKey(key);
  await sql`select 1 from ${sql.table(names.timelines)} where timeline_id = ${id} for update`.execute(
    tx,
  );
  await deleteIds(tx, names, [id]);
}

async function deleteIds(tx: Tx, names: TableNames, ids: readonly Buffer[]): Promise<void> {
  for (const table of [names.records, names.quarantine, names.timelines]) {
    await sql`delete from ${sql.table(table)} where timeline_id in (${sql.join(ids)})`.execute(tx);
  }
}

/**
 * Discards up to `limit` keys last touched at or before `touchedBefore`
 * whose lease is not held at `now`, as `delete` would, skipping rows being
 * written. Resolves how many; the store calls it until it discards fewer.
 *
 * @example
 * ```ts
 * const expired = await inTransaction(db, true, (tx) => expireUntouched(tx, names, now - ttl, now, 500));
 * ```
 */
export async function expireUntouched(
  tx: Tx,
  names: TableNames,
  touchedBefore: number,
  now: number,
  limit: number,
): Promise<number> {
  const stale = await rows(
    tx,
    sql<{ timeline_id: Buffer }>`
      select timeline_id from ${sql.table(names.timelines)}
      where ${atMost('touched_at', touchedBefore)}
        and (lease_token is null or lease_expires_at <= ${now})
      limit ${limit} for update skip locked`,
  );
  if (stale.length === 0) return 0;
  await deleteIds(
    tx,
    names,
    stale.map((row) => row.timeline_id),
  );
  return stale.length;
}

/**
 * Removes the named records from the timeline, and from a snapshot whose
 * lease is not held at `now` (a held one is being delivered). The schedule
 * is unchanged. Resolves how many rows went (a key in both counts twice).
 *
 * @example
 * ```ts
 * const removed = await inTransaction(db, true, (tx) => removeRecords(tx, names, 'mail:p:1', ['e2'], now));
 * ```
 */
export async function removeRecords(
  tx: Tx,
  names: TableNames,
  key: string,
  recordKeys: readonly string[],
  now: number,
): Promise<number> {
  const { id } = storedKey(key);
  const [row] = await rows(
    tx,
    sql<{ lease_token: string | null; lease_expires_at: number | null; timeline_side: number }>`
      select lease_token, lease_expires_at, timeline_side from ${sql.table(names.timelines)}
      where timeline_id = ${id} for update`,
  );
  if (row === undefined) return 0;
  const held = row.lease_token !== null && (row.lease_expires_at ?? 0) > now;
  let removed = 0;
  for (const slice of slices(recordKeys.map((recordKey) => storedKey(recordKey).id))) {
    removed += await affected(
      tx,
      sql`delete from ${sql.table(names.records)}
          where timeline_id = ${id} and side in (${sql.join(held ? [row.timeline_side] : [0, 1])})
            and record_id in (${sql.join(slice)})`,
    );
  }
  return removed;
}
