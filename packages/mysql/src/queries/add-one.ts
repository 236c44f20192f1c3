import type { StoreAdd, StoreContext } from '@digests/core';
import { sql } from 'kysely';
import { procedureNames } from '../procedures.js';
import { storedKey, storedValue } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import { type Db, withRetries } from '../transaction.js';
import { call } from './statements.js';

/**
 * Whether `add` can go as one `call` of `add_one`: no trim to `capacity`
 * and no `flushThreshold` (those need the timeline's size, so they take the
 * statement path), and only finite numbers (a DOUBLE holds nothing else).
 *
 * @example
 * ```ts
 * if (adds.length === 1 && addsInOneCall(adds[0])) return [await addInOneCall(db, names, adds[0], context)];
 * ```
 */
export function addsInOneCall(add: StoreAdd): boolean {
  return (
    add.trimTo === undefined &&
    add.flushThreshold === undefined &&
    Number.isFinite(add.record.timestamp) &&
    Number.isFinite(add.incrementDelay) &&
    Number.isFinite(add.maximumDelay) &&
    (add.dueAt === undefined || Number.isFinite(add.dueAt))
  );
}

/**
 * One add as one `call` of the store's `add_one` procedure — one round trip,
 * one transaction on the server: lock (or create) the timeline row, upsert
 * the record on the timeline's side, apply the schedule rule of
 * `scheduleAfterAdd` (add.1–add.6) and write the row back. Resolves whether
 * the add made the key ready at once.
 *
 * @example
 * ```ts
 * const first = await addInOneCall(db, names, add, { now: Date.now(), touch: false });
 * ```
 */
export async function addInOneCall(
  db: Db,
  names: TableNames,
  add: StoreAdd,
  { now, touch }: StoreContext,
): Promise<boolean> {
  const timeline = storedKey(add.key);
  const recordKey = storedKey(add.record.key);
  const [value, isText] = storedValue(add.record.value);
  const procedure = sql.id(procedureNames(names).add);
  const [head] = await withRetries(() =>
    call(
      db,
      sql`call ${procedure}(${timeline.id}, ${timeline.bytes}, ${recordKey.id}, ${recordKey.bytes},
        ${value}, ${isText}, ${add.record.timestamp}, ${add.incrementDelay}, ${add.maximumDelay},
        ${add.dueAt ?? null}, ${now}, ${touch ? 1 : 0})`,
    ),
  );
  return Number((head?.[0] as { first?: unknown } | undefined)?.first) === 1;
}
