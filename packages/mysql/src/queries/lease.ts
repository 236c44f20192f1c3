import { sql } from 'kysely';
import { storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Db, Tx } from '../transaction.js';
import { affected, rows, slices } from './statements.js';

/**
 * Extends the lease to `expiresAt` if `token` still holds it (expired but
 * not taken counts). One statement.
 *
 * @example
 * ```ts
 * const ours = await renewLease(db, names, 'mail:p:1', token, now + 30_000);
 * ```
 */
export async function renewLease(
  db: Db,
  names: TableNames,
  key: string,
  token: string,
  expiresAt: number,
): Promise<boolean> {
  const { id } = storedKey(key);
  const found = await affected(
    db,
    sql`update ${sql.table(names.timelines)} set lease_expires_at = ${expiresAt}
        where timeline_id = ${id} and lease_token = ${token}`,
  );
  return found > 0;
}

/**
 * Drops the lease if `token` holds it; the snapshot stays for the next digest.
 *
 * @example
 * ```ts
 * await releaseLease(db, names, 'mail:p:1', token);
 * ```
 */
export async function releaseLease(
  db: Db,
  names: TableNames,
  key: string,
  token: string,
): Promise<void> {
  const { id } = storedKey(key);
  await sql`update ${sql.table(names.timelines)} set lease_token = null, lease_expires_at = null
            where timeline_id = ${id} and lease_token = ${token}`.execute(db);
}

/**
 * Locks the timeline row and, if `token` holds its lease, resolves the side
 * its snapshot records are on (`records.side`); `undefined` when the lease
 * is not ours. The steps that act for a digest call this first in their
 * transaction.
 *
 * @example
 * ```ts
 * const snapshot = await snapshotSide(tx, names, id, token);
 * if (snapshot === undefined) return false;
 * ```
 */
export async function snapshotSide(
  tx: Tx,
  names: TableNames,
  id: Buffer,
  token: string,
): Promise<number | undefined> {
  const [row] = await rows(
    tx,
    sql<{ lease_token: string | null; timeline_side: number }>`
      select lease_token, timeline_side from ${sql.table(names.timelines)}
      where timeline_id = ${id} for update`,
  );
  return row !== undefined && row.lease_token === token ? 1 - row.timeline_side : undefined;
}

/**
 * Moves the named snapshot records into the quarantine table, if `token`
 * still holds the lease. A record key already quarantined is replaced.
 *
 * @example
 * ```ts
 * await inTransaction(db, true, (tx) => quarantineRecords(tx, names, key, token, ['e7']));
 * ```
 */
export async function quarantineRecords(
  tx: Tx,
  names: TableNames,
  key: string,
  token: string,
  recordKeys: readonly string[],
): Promise<void> {
  const { id } = storedKey(key);
  const snapshot = await snapshotSide(tx, names, id, token);
  if (snapshot === undefined) return;
  const records = sql.table(names.records);
  for (const slice of slices(recordKeys.map((recordKey) => storedKey(recordKey).id))) {
    await sql`
      insert into ${sql.table(names.quarantine)}
        (timeline_id, record_id, record_key, value, value_is_text, timestamp)
      select timeline_id, record_id, record_key, value, value_is_text, timestamp from ${records}
      where timeline_id = ${id} and side = ${snapshot} and record_id in (${sql.join(slice)})
      on duplicate key update record_key = values(record_key), value = values(value),
        value_is_text = values(value_is_text), timestamp = values(timestamp)`.execute(tx);
    await sql`delete from ${records}
              where timeline_id = ${id} and side = ${snapshot} and record_id in (${sql.join(slice)})`.execute(
      tx,
    );
  }
}
