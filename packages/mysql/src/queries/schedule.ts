import type { ScheduleEntry } from '@digests/core';
import { sql } from 'kysely';
import { storedKey } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Db, Tx } from '../transaction.js';
import { atMost, READY, rows, WAITING } from './statements.js';

/**
 * Moves up to `limit` waiting keys due by `deadline` to ready, earliest
 * first (score, then key bytes = code-point order), in one transaction:
 * `select … for update skip locked` picks rows no other claim or writer
 * holds, so concurrent schedulers never return the same key and never wait
 * on each other.
 *
 * @example
 * ```ts
 * const due = await inTransaction(db, true, (tx) => claimDue(tx, names, Date.now(), 100));
 * ```
 */
export async function claimDue(
  tx: Tx,
  names: TableNames,
  deadline: number,
  limit: number,
): Promise<ScheduleEntry[]> {
  const timelines = sql.table(names.timelines);
  const due = await rows(
    tx,
    sql<{ timeline_id: Buffer; timeline_key: Buffer; score: number }>`
      select timeline_id, timeline_key, score from ${timelines}
      where state = ${WAITING} and ${atMost('score', deadline)}
      order by score, timeline_key limit ${limit}
      for update skip locked`,
  );
  if (due.length === 0) return [];
  await sql`update ${timelines} set state = ${READY}
            where timeline_id in (${sql.join(due.map((row) => row.timeline_id))})`.execute(tx);
  return due.map((row) => ({ key: row.timeline_key.toString('utf8'), timestamp: row.score }));
}

/**
 * Moves up to `limit` ready keys due by `deadline` whose lease is not held
 * at `now` back to waiting (scores kept), skipping rows being written.
 * Resolves how many moved; the store calls it until it moves fewer.
 *
 * @example
 * ```ts
 * const moved = await inTransaction(db, true, (tx) => requeueStuck(tx, names, deadline, now, 1000));
 * ```
 */
export async function requeueStuck(
  tx: Tx,
  names: TableNames,
  deadline: number,
  now: number,
  limit: number,
): Promise<number> {
  const timelines = sql.table(names.timelines);
  const stuck = await rows(
    tx,
    sql<{ timeline_id: Buffer }>`
      select timeline_id from ${timelines}
      where state = ${READY} and ${atMost('score', deadline)}
        and (lease_token is null or lease_expires_at <= ${now})
      limit ${limit} for update skip locked`,
  );
  if (stuck.length === 0) return 0;
  await sql`update ${timelines} set state = ${WAITING}
            where timeline_id in (${sql.join(stuck.map((row) => row.timeline_id))})`.execute(tx);
  return stuck.length;
}

/**
 * A waiting key becomes ready with score `now`; otherwise nothing. One statement.
 *
 * @example
 * ```ts
 * await flushKey(db, names, 'mail:p:1', Date.now());
 * ```
 */
export async function flushKey(db: Db, names: TableNames, key: string, now: number): Promise<void> {
  const { id } = storedKey(key);
  await sql`update ${sql.table(names.timelines)} set state = ${READY}, score = ${now}
            where timeline_id = ${id} and state = ${WAITING}`.execute(db);
}
