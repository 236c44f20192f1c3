import type { BackendStats, ListEntry, ListRequest, StoreInfo } from '@digests/core';
import { sql } from 'kysely';
import { storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Db } from '../transaction.js';
import { READY, rows, WAITING } from './statements.js';

/**
 * One key's state, score, size (timeline + snapshot rows), L and quarantine
 * count, read by one statement (one consistent view).
 *
 * @example
 * ```ts
 * const info = await inspectKey(db, names, 'mail:p:1');
 * ```
 */
export async function inspectKey(db: Db, names: TableNames, key: string): Promise<StoreInfo> {
  const { id } = storedKey(key);
  const [row] = await rows(
    db,
    sql<{
      state: number | null;
      score: number | null;
      last_processed: number | null;
      size: number;
      quarantined: number;
    }>`
      select t.state, t.score, t.last_processed,
        (select count(*) from ${sql.table(names.records)} where timeline_id = ${id}) as size,
        (select count(*) from ${sql.table(names.quarantine)} where timeline_id = ${id}) as quarantined
      from (select 1) as one left join ${sql.table(names.timelines)} t on t.timeline_id = ${id}`,
  );
  const size = Number(row?.size ?? 0);
  const quarantined = Number(row?.quarantined ?? 0);
  const last = row?.last_processed == null ? {} : { lastProcessed: row.last_processed };
  if (row?.state === READY || row?.state === WAITING) {
    const state = row.state === READY ? 'ready' : 'waiting';
    return { state, score: row.score ?? 0, size, quarantined, ...last };
  }
  return { state: 'absent', size, quarantined, ...last };
}

/**
 * One page of keys in schedule order (score, then key bytes), optionally of
 * one state, strictly after `after`.
 *
 * @example
 * ```ts
 * const entries = await listKeys(db, names, { state: 'ready', limit: 101 });
 * ```
 */
export async function listKeys(
  db: Db,
  names: TableNames,
  request: ListRequest,
): Promise<ListEntry[]> {
  const { state, after, limit } = request;
  const states = state === undefined ? [WAITING, READY] : [state === 'ready' ? READY : WAITING];
  const position =
    after === undefined
      ? sql`true`
      : sql`(t.score > ${after.score} or (t.score = ${after.score} and t.timeline_key > ${Buffer.from(after.key, 'utf8')}))`;
  const found = await rows(
    db,
    sql<{ timeline_key: Buffer; state: number; score: number; size: number }>`
      select t.timeline_key, t.state, t.score,
        (select count(*) from ${sql.table(names.records)} r where r.timeline_id = t.timeline_id) as size
      from ${sql.table(names.timelines)} t
      where t.state in (${sql.join(states)}) and ${position}
      order by t.score, t.timeline_key limit ${limit}`,
  );
  return found.map((row) => ({
    key: row.timeline_key.toString('utf8'),
    state: row.state === READY ? 'ready' : 'waiting',
    score: row.score,
    size: Number(row.size),
  }));
}

/**
 * Keys per state, records held, and the earliest waiting score.
 *
 * @example
 * ```ts
 * const { waiting, ready, records } = await countAll(db, names);
 * ```
 */
export async function countAll(db: Db, names: TableNames): Promise<BackendStats> {
  const timelines = sql.table(names.timelines);
  const [row] = await rows(
    db,
    sql<{ waiting: number; ready: number; records: number; oldest_due: number | null }>`
      select (select count(*) from ${timelines} where state = ${WAITING}) as waiting,
             (select count(*) from ${timelines} where state = ${READY}) as ready,
             (select count(*) from ${sql.table(names.records)}) as records,
             (select min(score) from ${timelines} where state = ${WAITING}) as oldest_due`,
  );
  return {
    waiting: Number(row?.waiting ?? 0),
    ready: Number(row?.ready ?? 0),
    records: Number(row?.records ?? 0),
    ...(row?.oldest_due == null ? {} : { oldestDue: row.oldest_due }),
  };
}

/**
 * Every row the store holds: timelines, records (both sides) and quarantine.
 *
 * @example
 * ```ts
 * expect(await countRows(db, names)).toBe(0);
 * ```
 */
export async function countRows(db: Db, names: TableNames): Promise<number> {
  const [row] = await rows(
    db,
    sql<{ n: number }>`
      select (select count(*) from ${sql.table(names.timelines)})
           + (select count(*) from ${sql.table(names.records)})
           + (select count(*) from ${sql.table(names.quarantine)}) as n`,
  );
  return Number(row?.n ?? 0);
}
