import { type StoreAdd, type StoreContext, scheduleAfterAdd } from '@digests/core';
import { sql } from 'kysely';
import { type StoredKey, storedKey, storedValue } from '../stored-bytes.js';
import type { TableNames } from '../table-names.js';
import type { Tx } from '../transaction.js';
import { ABSENT, READY, rows, WAITING } from './statements.js';

interface TimelineState {
  readonly key: StoredKey;
  state: number;
  score: number;
  readonly lastProcessed: number | null;
  /** The `records.side` the timeline's records are on. */
  readonly side: number;
  changed: boolean;
}

/**
 * Applies a batch of adds in one transaction, each add in order:
 * 1. lock the batch's timeline rows in id order (`select … for update`),
 *    creating the missing ones as ABSENT placeholders with one
 *    `insert … on duplicate key update` (which locks a row a concurrent add
 *    created meanwhile);
 * 2. store the records — one multi-row upsert, or one add at a time when an
 *    add trims to capacity or needs the key's size for `flushThreshold`;
 * 3. fold the schedule rule over the adds in memory and write every changed
 *    timeline row back in one multi-row upsert.
 * Resolves, per add, whether it made the key ready at once.
 *
 * @example
 * ```ts
 * const firsts = await inTransaction(db, true, (tx) => addBatch(tx, names, adds, context));
 * ```
 */
export async function addBatch(
  tx: Tx,
  names: TableNames,
  adds: readonly StoreAdd[],
  { now, touch }: StoreContext,
): Promise<boolean[]> {
  const timelines = await lockTimelines(tx, names, adds);
  const slow = adds.some((add) => add.trimTo !== undefined || add.flushThreshold !== undefined);
  if (!slow) await upsertRecords(tx, names, adds, timelines);
  const firsts: boolean[] = [];
  for (const add of adds) {
    const timeline = timelines.get(add.key)!;
    let size: number | undefined;
    if (slow) size = await addOne(tx, names, timeline, add);
    const after = scheduleAfterAdd({
      before:
        timeline.state === READY
          ? { state: 'ready', score: timeline.score }
          : timeline.state === WAITING
            ? { state: 'waiting', score: timeline.score }
            : { state: 'absent' },
      timestamp: add.record.timestamp,
      lastProcessed: timeline.lastProcessed ?? undefined,
      incrementDelay: add.incrementDelay,
      maximumDelay: add.maximumDelay,
      ...(add.dueAt === undefined ? {} : { dueAt: add.dueAt }),
      ...(add.flushThreshold === undefined ? {} : { flushThreshold: add.flushThreshold, size }),
      now,
    });
    const state = after.state === 'ready' ? READY : WAITING;
    if (state !== timeline.state || after.score !== timeline.score) {
      timeline.state = state;
      timeline.score = after.score;
      timeline.changed = true;
    }
    firsts.push(after.first);
  }
  await writeTimelines(tx, names, [...timelines.values()], touch ? now : null);
  return firsts;
}

async function lockTimelines(
  tx: Tx,
  names: TableNames,
  adds: readonly StoreAdd[],
): Promise<Map<string, TimelineState>> {
  const byKey = new Map<string, StoredKey>();
  for (const add of adds) if (!byKey.has(add.key)) byKey.set(add.key, storedKey(add.key));
  const byId = new Map<string, string>();
  for (const [key, stored] of byKey) byId.set(stored.id.toString('hex'), key);
  const ids = [...byKey.values()].map((stored) => stored.id).sort(Buffer.compare);
  const timelines = new Map<string, TimelineState>();
  const read = async (wanted: Buffer[]) => {
    const found = await rows(
      tx,
      sql<{
        timeline_id: Buffer;
        state: number;
        score: number;
        last_processed: number | null;
        timeline_side: number;
      }>`
        select timeline_id, state, score, last_processed, timeline_side from ${sql.table(names.timelines)}
        where timeline_id in (${sql.join(wanted)}) for update`,
    );
    for (const row of found) {
      const key = byId.get(row.timeline_id.toString('hex'))!;
      timelines.set(key, {
        key: byKey.get(key)!,
        state: row.state,
        score: row.score,
        lastProcessed: row.last_processed,
        side: row.timeline_side,
        changed: row.state === ABSENT,
      });
    }
  };
  await read(ids);
  const missing = ids.filter((id) => !timelines.has(byId.get(id.toString('hex'))!));
  if (missing.length > 0) {
    const values = missing.map((id) => {
      const { bytes } = byKey.get(byId.get(id.toString('hex'))!)!;
      return sql`(${id}, ${bytes}, ${ABSENT}, 0)`;
    });
    await sql`
      insert into ${sql.table(names.timelines)} (timeline_id, timeline_key, state, score)
      values ${sql.join(values)}
      on duplicate key update timeline_id = timeline_id`.execute(tx);
    await read(missing);
  }
  return timelines;
}

function recordValues(id: Buffer, side: number, add: StoreAdd) {
  const recordKey = storedKey(add.record.key);
  const [value, isText] = storedValue(add.record.value);
  return sql`(${id}, ${side}, ${recordKey.id}, ${recordKey.bytes}, ${value}, ${isText}, ${add.record.timestamp})`;
}

const UPSERT_RECORD = sql.raw(`on duplicate key update value = values(value),
  value_is_text = values(value_is_text), timestamp = values(timestamp)`);

/**
 * Stores every add's record on its timeline's side with one multi-row
 * upsert (a record key already there is replaced).
 *
 * @example
 * ```ts
 * await upsertRecords(tx, names, adds, new Map([['k', { key: storedKey('k'), side: 0 }]]));
 * ```
 */
export async function upsertRecords(
  tx: Tx,
  names: TableNames,
  adds: readonly StoreAdd[],
  timelines: ReadonlyMap<string, { readonly key: StoredKey; readonly side: number }>,
): Promise<void> {
  // Rows go in in add order, so the last add of a record key wins.
  const values = adds.map((add) => {
    const { key, side } = timelines.get(add.key)!;
    return recordValues(key.id, side, add);
  });
  await sql`
    insert into ${sql.table(names.records)}
      (timeline_id, side, record_id, record_key, value, value_is_text, timestamp)
    values ${sql.join(values)} ${UPSERT_RECORD}`.execute(tx);
}

/** One add's record, its trim, and the key's size afterwards when asked for. */
async function addOne(
  tx: Tx,
  names: TableNames,
  { key: timeline, side }: TimelineState,
  add: StoreAdd,
): Promise<number | undefined> {
  const records = sql.table(names.records);
  await sql`
    insert into ${records}
      (timeline_id, side, record_id, record_key, value, value_is_text, timestamp)
    values ${recordValues(timeline.id, side, add)} ${UPSERT_RECORD}`.execute(tx);
  if (add.trimTo !== undefined) await trimNewest(tx, names, timeline.id, side, add.trimTo);
  if (add.flushThreshold === undefined) return undefined;
  const [counted] = await rows(
    tx,
    sql<{
      size: number;
    }>`select count(*) as size from ${records} where timeline_id = ${timeline.id}`,
  );
  return Number(counted?.size ?? 0);
}

/**
 * Keeps the `keep` newest records (timestamp, then record key, descending) of
 * one side (`records.side`) of a timeline.
 */
async function trimNewest(
  tx: Tx,
  names: TableNames,
  id: Buffer,
  side: number,
  keep: number,
): Promise<void> {
  const records = sql.table(names.records);
  const [cut] = await rows(
    tx,
    sql<{ timestamp: number; record_key: Buffer }>`
      select timestamp, record_key from ${records}
      where timeline_id = ${id} and side = ${side}
      order by timestamp desc, record_key desc limit 1 offset ${keep}`,
  );
  if (cut === undefined) return;
  await sql`
    delete from ${records} where timeline_id = ${id} and side = ${side}
      and (timestamp < ${cut.timestamp} or (timestamp = ${cut.timestamp} and record_key <= ${cut.record_key}))`.execute(
    tx,
  );
}

async function writeTimelines(
  tx: Tx,
  names: TableNames,
  timelines: readonly TimelineState[],
  touchedAt: number | null,
): Promise<void> {
  const changed = timelines.filter((timeline) => timeline.changed || touchedAt !== null);
  if (changed.length === 0) return;
  const values = changed.map(
    ({ key, state, score }) => sql`(${key.id}, ${key.bytes}, ${state}, ${score}, ${touchedAt})`,
  );
  await sql`
    insert into ${sql.table(names.timelines)} (timeline_id, timeline_key, state, score, touched_at)
    values ${sql.join(values)}
    on duplicate key update state = values(state), score = values(score),
      touched_at = coalesce(values(touched_at), touched_at)`.execute(tx);
}
