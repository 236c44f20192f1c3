import { type RawBuilder, sql } from 'kysely';
import type { Db, Tx } from '../transaction.js';

/**
 * The rows a statement returned.
 *
 * @example
 * ```ts
 * const found = await rows(tx, sql<{ state: number }>`select state from ${t}`);
 * ```
 */
export async function rows<R>(db: Db | Tx, query: RawBuilder<R>): Promise<R[]> {
  return (await query.execute(db)).rows;
}

/**
 * How many rows a statement changed (found, for an UPDATE: mysql2 asks for
 * found rows, so an UPDATE that sets the same value still counts).
 *
 * @example
 * ```ts
 * const deleted = await affected(tx, sql`delete from ${r} where timeline_id = ${id}`);
 * ```
 */
export async function affected(db: Db | Tx, query: RawBuilder<unknown>): Promise<number> {
  return Number((await query.execute(db)).numAffectedRows ?? 0n);
}

/**
 * The result sets a `call` of a stored procedure returned, in order.
 *
 * @example
 * ```ts
 * const [[outcome], records] = await call(db, sql`call ${sql.id(procedure)}(${id})`);
 * ```
 */
export async function call(db: Db | Tx, query: RawBuilder<unknown>): Promise<unknown[][]> {
  const { rows } = await query.execute(db);
  return (rows as unknown[]).filter((set): set is unknown[] => Array.isArray(set));
}

/**
 * `items` in slices of at most `size`, so an `IN (…)` list stays far below
 * the protocol's 65 535 placeholders.
 *
 * @example
 * ```ts
 * for (const slice of slices(recordIds, 1000)) await deleteSome(slice);
 * ```
 */
export function slices<T>(items: readonly T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    out.push(items.slice(start, start + size));
  return out;
}

/** The states as stored: `state` is a tinyint. */
export const WAITING = 0;
export const READY = 1;
/** A timeline row an add's transaction just created; never committed as such. */
export const ABSENT = 2;

/**
 * `column <= bound`, where `bound` may be ±Infinity (a DOUBLE column holds
 * only finite numbers, and MySQL has no infinite literal).
 *
 * @example
 * ```ts
 * sql`select … where state = 0 and ${atMost('score', deadline)}`;
 * ```
 */
export function atMost(column: string, bound: number): RawBuilder<unknown> {
  if (bound === Number.POSITIVE_INFINITY) return sql`${sql.ref(column)} is not null`;
  if (bound === Number.NEGATIVE_INFINITY) return sql`false`;
  return sql`${sql.ref(column)} <= ${bound}`;
}
