import {
  type ScheduleAfter,
  type ScheduleBefore,
  type StoreContext,
  scheduleAfterAdd,
} from '@digests/core';
import { quoteIdentifier, type SqlAdd, type TableNames } from '@digests/sql';
import type Database from 'better-sqlite3';
import { get, run, type Side, type Statement } from './prepared.js';
import { TrimStatements } from './trim-statements.js';

/** A timeline's schedule row, as `add` reads it. */
export interface ScheduleRow {
  state: 'waiting' | 'ready';
  score: number;
  last_processed: number | null;
  live: Side;
}

/**
 * SQLite's `add` on prepared statements, run inside the caller's
 * transaction: read the schedule row, upsert the record on the timeline's
 * live side (`timelines.live`), trim, apply core's `scheduleAfterAdd`. An
 * add to a `ready` key without `ttl` writes the record and nothing else.
 *
 * @example
 * ```ts
 * const adds = new AddStatements(database, names);
 * const first = adds.add(add, { now, touch: false }); // inside BEGIN IMMEDIATE … COMMIT
 * ```
 */
export class AddStatements {
  readonly #schedule: Statement;
  readonly #insertTimeline: Statement;
  readonly #rescheduleTimeline: Statement;
  readonly #rescheduleTouched: Statement;
  readonly #touchTimeline: Statement;
  readonly #upsertRecord: Statement;
  readonly #countUpTo: Statement;
  readonly #trim: TrimStatements;

  constructor(database: Database.Database, names: TableNames) {
    const timelines = quoteIdentifier(names.timelines);
    const records = quoteIdentifier(names.records);
    const prepare = (sql: string) => database.prepare(sql);
    this.#schedule = prepare(
      `select state, score, last_processed, live from ${timelines} where timeline_id = ?`,
    );
    this.#insertTimeline = prepare(
      `insert into ${timelines} (timeline_id, timeline_key, state, score, touched_at) values (?, ?, ?, ?, ?)`,
    );
    // Two statements, not `touched_at = coalesce(?, touched_at)`: SQLite
    // rewrites the `touched` index entry of any column it sets, even to the
    // same value, and without ttl nobody reads touched_at.
    this.#rescheduleTimeline = prepare(
      `update ${timelines} set state = ?, score = ? where timeline_id = ?`,
    );
    this.#rescheduleTouched = prepare(
      `update ${timelines} set state = ?, score = ?, touched_at = ? where timeline_id = ?`,
    );
    this.#touchTimeline = prepare(`update ${timelines} set touched_at = ? where timeline_id = ?`);
    this.#upsertRecord = prepare(
      `insert into ${records} (timeline_id, snapshot, record_id, record_key, value, value_is_text, timestamp)
       values (?, ?, ?, ?, ?, ?, ?)
       on conflict (timeline_id, snapshot, record_id) do update
       set value = excluded.value, value_is_text = excluded.value_is_text, timestamp = excluded.timestamp`,
    );
    // Counting stops at the threshold: a flush check never reads a whole timeline.
    this.#countUpTo = prepare(
      `select count(*) as n from (select 1 from ${records} where timeline_id = ? limit ?)`,
    );
    this.#trim = new TrimStatements(database, names);
  }

  /**
   * One add; returns its `first`. Call inside a write transaction. `rows`
   * remembers each timeline's schedule row as this transaction left it, so
   * a batch reads a key's row once (no other writer runs inside `BEGIN
   * IMMEDIATE`); pass a fresh map per transaction.
   */
  add(add: SqlAdd, { now, touch }: StoreContext, rows?: Map<string, ScheduleRow>): boolean {
    const cacheKey = rows === undefined ? undefined : add.key.id.toString('latin1');
    const row =
      (cacheKey === undefined ? undefined : rows?.get(cacheKey)) ??
      get<ScheduleRow>(this.#schedule, add.key.id);
    const live = row?.live ?? 0;
    run(
      this.#upsertRecord,
      add.key.id,
      live,
      add.recordKey.id,
      add.recordKey.bytes,
      add.value,
      add.valueIsText,
      add.timestamp,
    );
    if (add.trimTo !== undefined) this.#trim.trim(add.key.id, live, add.trimTo);
    const before: ScheduleBefore =
      row === undefined ? { state: 'absent' } : { state: row.state, score: row.score };
    const input = {
      before,
      timestamp: add.timestamp,
      lastProcessed: row?.last_processed ?? undefined,
      incrementDelay: add.incrementDelay,
      maximumDelay: add.maximumDelay,
      now,
      ...(add.dueAt === undefined ? {} : { dueAt: add.dueAt }),
    };
    let after: ScheduleAfter = scheduleAfterAdd(input);
    const threshold = add.flushThreshold;
    if (after.state === 'waiting' && threshold !== undefined) {
      const size = get<{ n: number }>(this.#countUpTo, add.key.id, threshold)?.n ?? 0;
      after = scheduleAfterAdd({ ...input, flushThreshold: threshold, size });
    }
    if (cacheKey !== undefined) {
      rows?.set(cacheKey, {
        state: after.state,
        score: after.score,
        last_processed: row?.last_processed ?? null,
        live,
      });
    }
    if (row === undefined) {
      run(this.#insertTimeline, add.key.id, add.key.bytes, after.state, after.score, now);
    } else if (after.state !== row.state || after.score !== row.score) {
      if (touch) run(this.#rescheduleTouched, after.state, after.score, now, add.key.id);
      else run(this.#rescheduleTimeline, after.state, after.score, add.key.id);
    } else if (touch) {
      // Most adds (to a ready key) leave the schedule alone: without ttl the row is not written.
      run(this.#touchTimeline, now, add.key.id);
    }
    return after.first;
  }
}
