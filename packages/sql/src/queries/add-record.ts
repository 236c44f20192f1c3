import { nextSchedule, type ScheduleBefore } from '@digests/core';
import type { Kysely } from 'kysely';
import type { AddInput } from '../dialect-parts.js';
import type { DigestsDatabase } from '../schema.js';
import { trimRecords } from './trim.js';

/**
 * `add` as a few statements, for a caller that already holds a write
 * transaction (SQLite's `BEGIN IMMEDIATE`): upsert the record, trim the
 * timeline, apply core's {@link nextSchedule}. PostgreSQL does the same in
 * one statement (its `add` function). Resolves whether the key was absent.
 *
 * @example
 * ```ts
 * const first = await parts.transaction(db, (trx) => addRecord(trx, input));
 * ```
 */
export async function addRecord(db: Kysely<DigestsDatabase>, input: AddInput): Promise<boolean> {
  const row = await db
    .selectFrom('timelines')
    .select(['state', 'score', 'last_processed'])
    .where('timeline_id', '=', input.key.id)
    .executeTakeFirst();
  const before: ScheduleBefore =
    row === undefined ? { state: 'absent' } : { state: row.state, score: row.score };
  const after = nextSchedule(
    before,
    input.timestamp,
    row?.last_processed ?? undefined,
    input.incrementDelay,
    input.maximumDelay,
  );
  if (row === undefined) {
    await db
      .insertInto('timelines')
      .values({
        timeline_id: input.key.id,
        timeline_key: input.key.bytes,
        state: after.state,
        score: after.score,
        touched_at: input.now,
      })
      .execute();
  } else {
    await db
      .updateTable('timelines')
      .set({
        state: after.state,
        score: after.score,
        ...(input.touch ? { touched_at: input.now } : {}),
      })
      .where('timeline_id', '=', input.key.id)
      .execute();
  }
  await db
    .insertInto('records')
    .values({
      timeline_id: input.key.id,
      snapshot: 0,
      record_id: input.recordKey.id,
      record_key: input.recordKey.bytes,
      value: input.value,
      value_is_text: input.valueIsText,
      timestamp: input.timestamp,
    })
    .onConflict((oc) =>
      oc.columns(['timeline_id', 'snapshot', 'record_id']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        value_is_text: eb.ref('excluded.value_is_text'),
        timestamp: eb.ref('excluded.timestamp'),
      })),
    )
    .execute();
  if (input.trimTo !== undefined) await trimRecords(db, input.key.id, 0, input.trimTo);
  return after.first;
}
