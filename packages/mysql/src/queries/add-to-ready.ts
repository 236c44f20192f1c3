import type { StoreAdd } from '@digests/core';
import { sql } from 'kysely';
import { type StoredKey, storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Tx } from '../transaction.js';
import { upsertRecords } from './add.js';
import { READY, rows } from './statements.js';

/**
 * A batch whose keys are all ready (add.2: their schedule stays as it is)
 * only gains its records, so it needs no exclusive lock: it reads the keys'
 * states without locking, and when all are ready, locks their rows in
 * share mode (in id order) — digests, which lock them exclusively, wait,
 * while other adds to the same keys go side by side — checks again and
 * stores the records on each timeline's side. Resolves `false`, having
 * written nothing, when some key is not ready (absent, waiting, or changed
 * meanwhile); the caller then takes the exclusive path in the same
 * transaction. Only for adds without trim, `flushThreshold` or ttl
 * bookkeeping (which writes the timeline row).
 *
 * @example
 * ```ts
 * if (!(await addToReady(tx, names, adds))) await addBatch(tx, names, adds, context);
 * ```
 */
export async function addToReady(
  tx: Tx,
  names: TableNames,
  adds: readonly StoreAdd[],
): Promise<boolean> {
  const byKey = new Map<string, StoredKey>();
  for (const add of adds) if (!byKey.has(add.key)) byKey.set(add.key, storedKey(add.key));
  const ids = [...byKey.values()].map((stored) => stored.id).sort(Buffer.compare);
  const read = (lock: 'share' | 'none') =>
    rows(
      tx,
      sql<{ timeline_id: Buffer; state: number; timeline_side: number }>`
        select timeline_id, state, timeline_side from ${sql.table(names.timelines)}
        where timeline_id in (${sql.join(ids)})
        ${lock === 'share' ? sql`order by timeline_id lock in share mode` : sql``}`,
    );
  const allReady = (found: { state: number }[]) =>
    found.length === ids.length && found.every((row) => row.state === READY);
  if (!allReady(await read('none'))) return false;
  const locked = await read('share');
  if (!allReady(locked)) return false;
  const sides = new Map<string, number>();
  for (const row of locked) sides.set(row.timeline_id.toString('hex'), row.timeline_side);
  const timelines = new Map<string, { key: StoredKey; side: number }>();
  for (const [key, stored] of byKey) {
    timelines.set(key, { key: stored, side: sides.get(stored.id.toString('hex'))! });
  }
  await upsertRecords(tx, names, adds, timelines);
  return true;
}
