import { nextSchedule, type ScheduleBefore } from '@digests/core';
import { type AddInput, quoteIdentifier, type TableNames, timedStatement } from '@digests/sql';
import type Database from 'better-sqlite3';

type Statement = Database.Statement;

interface ScheduleRow {
  state: 'waiting' | 'ready';
  score: number;
  last_processed: number | null;
}

interface TrimRow {
  timestamp: number;
  record_key: Uint8Array;
}

/**
 * The hot statements of one SQLite database, prepared once and run
 * synchronously on better-sqlite3: `add` without kysely's per-query
 * compiling and async hops. Each statement is an `sql` action of the current
 * timeline, like every statement kysely runs. The SQL mirrors the shared
 * kysely queries (`addRecord`, `trimRecords`); the conformance, model-based
 * and fuzz suites hold both to the same behaviour.
 *
 * @example
 * ```ts
 * const statements = new SqliteStatements(database, tableNames({ tablePrefix: 'digests_' }));
 * const first = statements.add(input); // one BEGIN IMMEDIATE … COMMIT
 * const firsts = statements.addMany(inputs); // one for the whole batch
 * ```
 */
export class SqliteStatements {
  readonly #database: Database.Database;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #schedule: Statement;
  readonly #insertTimeline: Statement;
  readonly #updateTimeline: Statement;
  readonly #rescheduleTimeline: Statement;
  readonly #touchTimeline: Statement;
  readonly #upsertRecord: Statement;
  readonly #trimBoundary: Statement;
  readonly #trimOlder: Statement;

  constructor(database: Database.Database, names: TableNames) {
    const timelines = quoteIdentifier(names.timelines);
    const records = quoteIdentifier(names.records);
    const prepare = (sql: string) => database.prepare(sql);
    this.#database = database;
    this.#begin = prepare('begin immediate');
    this.#commit = prepare('commit');
    this.#rollback = prepare('rollback');
    this.#schedule = prepare(
      `select state, score, last_processed from ${timelines} where timeline_id = ?`,
    );
    this.#insertTimeline = prepare(
      `insert into ${timelines} (timeline_id, timeline_key, state, score, touched_at) values (?, ?, ?, ?, ?)`,
    );
    this.#updateTimeline = prepare(
      `update ${timelines} set state = ?, score = ?, touched_at = ? where timeline_id = ?`,
    );
    this.#rescheduleTimeline = prepare(
      `update ${timelines} set state = ?, score = ? where timeline_id = ?`,
    );
    this.#touchTimeline = prepare(`update ${timelines} set touched_at = ? where timeline_id = ?`);
    this.#upsertRecord = prepare(
      `insert into ${records} (timeline_id, snapshot, record_id, record_key, value, value_is_text, timestamp)
       values (?, 0, ?, ?, ?, ?, ?)
       on conflict (timeline_id, snapshot, record_id) do update
       set value = excluded.value, value_is_text = excluded.value_is_text, timestamp = excluded.timestamp`,
    );
    this.#trimBoundary = prepare(
      `select timestamp, record_key from ${records} where timeline_id = ? and snapshot = ?
       order by timestamp desc, record_key desc limit 1 offset ?`,
    );
    this.#trimOlder = prepare(
      `delete from ${records} where timeline_id = ? and snapshot = ?
       and (timestamp < ? or (timestamp = ? and record_key < ?))`,
    );
  }

  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction: commits what it did, or
   * rolls back and rethrows. The caller makes sure no other transaction is
   * open on the connection.
   */
  immediate<T>(fn: () => T): T {
    run(this.#begin);
    try {
      const result = fn();
      run(this.#commit);
      return result;
    } catch (error) {
      if (this.#database.inTransaction) run(this.#rollback);
      throw error;
    }
  }

  /** SPEC `add` in one transaction (see `addRecord`); returns whether the key was absent. */
  add(input: AddInput): boolean {
    return this.immediate(() => this.#add(input));
  }

  /**
   * `add` on each input in order, all in one `BEGIN IMMEDIATE` transaction:
   * every add is written, or (on an error) none. Returns each add's result,
   * in input order.
   */
  addMany(inputs: readonly AddInput[]): boolean[] {
    return this.immediate(() => inputs.map((input) => this.#add(input)));
  }

  #add(input: AddInput): boolean {
    const row = get<ScheduleRow>(this.#schedule, input.key.id);
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
      run(this.#insertTimeline, input.key.id, input.key.bytes, after.state, after.score, input.now);
    } else if (after.state === row.state && after.score === row.score) {
      // Most adds (to a ready key): the schedule index is left alone, one page fewer to write;
      // without ttl nobody reads touched_at, and the timeline row is not written at all.
      if (input.touch) run(this.#touchTimeline, input.now, input.key.id);
    } else if (input.touch) {
      run(this.#updateTimeline, after.state, after.score, input.now, input.key.id);
    } else {
      run(this.#rescheduleTimeline, after.state, after.score, input.key.id);
    }
    run(
      this.#upsertRecord,
      input.key.id,
      input.recordKey.id,
      input.recordKey.bytes,
      input.value,
      input.valueIsText,
      input.timestamp,
    );
    if (input.trimTo !== undefined) this.trim(input.key.id, 0, input.trimTo);
    return after.first;
  }

  /** Keeps the `capacity` newest records of one part of a timeline (see `trimRecords`). */
  trim(timelineId: Uint8Array, snapshot: 0 | 1, capacity: number): number {
    const last = get<TrimRow>(this.#trimBoundary, timelineId, snapshot, capacity - 1);
    if (last === undefined) return 0;
    return run(
      this.#trimOlder,
      timelineId,
      snapshot,
      last.timestamp,
      last.timestamp,
      last.record_key,
    ).changes;
  }
}

function run(statement: Statement, ...parameters: unknown[]): Database.RunResult {
  return timedStatement(statement.source, () => statement.run(...parameters));
}

function get<T>(statement: Statement, ...parameters: unknown[]): T | undefined {
  return timedStatement(statement.source, () => statement.get(...parameters) as T | undefined);
}
