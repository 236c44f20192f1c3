import {
  type ScheduleAfter,
  type ScheduleBefore,
  type StoreContext,
  scheduleAfterAdd,
} from '@digests/core';
import {
  quoteIdentifier,
  type SnapshotRow,
  type SqlAdd,
  type SqlCommit,
  type SqlOpen,
  type SqlOpened,
  type TableNames,
  timedStatement,
} from '@digests/sql';
import type Database from 'better-sqlite3';

type Statement = Database.Statement;

interface ScheduleRow {
  state: 'waiting' | 'ready';
  score: number;
  last_processed: number | null;
}

interface LeaseRow {
  state: 'waiting' | 'ready';
  lease_token: string | null;
  lease_expires_at: number | null;
}

interface TimelineRow {
  rowid: number;
  record_id: Uint8Array;
  timestamp: number;
}

/**
 * The most timeline records one open transaction moves into the snapshot.
 * A larger timeline is moved over several short transactions before the
 * digest opens, so no transaction holds the write lock for long.
 */
export const MOVE_CHUNK = 2000;

interface TrimRow {
  timestamp: number;
  record_key: Uint8Array;
}

/**
 * The hot steps of one SQLite database — `add`, `open`, `commit` — on
 * statements prepared once and run synchronously on better-sqlite3, each
 * step one `BEGIN IMMEDIATE … COMMIT`: no kysely compiling, no async hops,
 * and the write lock held only for the statements themselves. Each
 * statement is an `sql` action of the current timeline, like every
 * statement kysely runs.
 *
 * A digest moves what was added since the last open into the snapshot
 * (each record once), then reads only what it hands out: the window of the
 * oldest `limit` records comes from the `records_oldest` index (timeline,
 * timestamp, record key), so a limited digest of a huge timeline costs its
 * limit, not the timeline.
 *
 * @example
 * ```ts
 * const statements = new SqliteStatements(database, tableNames({ tablePrefix: 'digests_' }));
 * const firsts = statements.add(adds, { now, touch: false }); // one BEGIN IMMEDIATE … COMMIT
 * ```
 */
export class SqliteStatements {
  readonly #database: Database.Database;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #schedule: Statement;
  readonly #insertTimeline: Statement;
  readonly #rescheduleTimeline: Statement;
  readonly #rescheduleTouched: Statement;
  readonly #touchTimeline: Statement;
  readonly #upsertRecord: Statement;
  readonly #countUpTo: Statement;
  readonly #trimBoundary: Statement;
  readonly #trimOlder: Statement;
  readonly #lease: Statement;
  readonly #anySnapshot: Statement;
  readonly #anyRecord: Statement;
  readonly #dropTimelineLosers: Statement;
  readonly #dropSnapshotLosers: Statement;
  readonly #moveAll: Statement;
  readonly #window: Statement;
  readonly #takeLease: Statement;
  readonly #leaseToken: Statement;
  readonly #deleteSnapshot: Statement;
  readonly #deleteSnapshotUpTo: Statement;
  readonly #stayReady: Statement;
  readonly #wait: Statement;
  readonly #forget: Statement;
  readonly #timelineChunk: Statement;
  readonly #snapshotTwin: Statement;
  readonly #deleteRow: Statement;
  readonly #moveRow: Statement;

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
       values (?, 0, ?, ?, ?, ?, ?)
       on conflict (timeline_id, snapshot, record_id) do update
       set value = excluded.value, value_is_text = excluded.value_is_text, timestamp = excluded.timestamp`,
    );
    // Counting stops at the threshold: a flush check never reads a whole timeline.
    this.#countUpTo = prepare(
      `select count(*) as n from (select 1 from ${records} where timeline_id = ? limit ?)`,
    );
    this.#trimBoundary = prepare(
      `select timestamp, record_key from ${records} where timeline_id = ? and snapshot = ?
       order by timestamp desc, record_key desc limit 1 offset ?`,
    );
    this.#trimOlder = prepare(
      `delete from ${records} where timeline_id = ? and snapshot = ?
       and timestamp <= ? and (timestamp < ? or record_key < ?)`,
    );
    this.#lease = prepare(
      `select state, lease_token, lease_expires_at from ${timelines} where timeline_id = ?`,
    );
    this.#anySnapshot = prepare(
      `select 1 from ${records} where timeline_id = ? and snapshot = 1 limit 1`,
    );
    this.#anyRecord = prepare(`select 1 from ${records} where timeline_id = ? limit 1`);
    // The merge, driven by the timeline (what was added since the last open;
    // CROSS JOIN keeps it the outer loop): a snapshot record the timeline
    // equals or supersedes goes, then a timeline record older than its twin.
    this.#dropSnapshotLosers = prepare(
      `delete from ${records} where rowid in (
         select s.rowid from ${records} t cross join ${records} s
         on s.timeline_id = t.timeline_id and s.snapshot = 1 and s.record_id = t.record_id
         where t.timeline_id = ? and t.snapshot = 0 and t.timestamp >= s.timestamp)`,
    );
    this.#dropTimelineLosers = prepare(
      `delete from ${records} where rowid in (
         select t.rowid from ${records} t cross join ${records} s
         on s.timeline_id = t.timeline_id and s.snapshot = 1 and s.record_id = t.record_id
         where t.timeline_id = ? and t.snapshot = 0)`,
    );
    this.#moveAll = prepare(
      `update ${records} set snapshot = 1 where timeline_id = ? and snapshot = 0`,
    );
    this.#window = prepare(
      `select record_key, value, value_is_text, timestamp from ${records}
       where timeline_id = ? order by timestamp, record_key limit ?`,
    );
    this.#takeLease = prepare(
      `update ${timelines} set lease_token = ?, lease_expires_at = ?, touched_at = coalesce(?, touched_at)
       where timeline_id = ?`,
    );
    this.#leaseToken = prepare(`select lease_token from ${timelines} where timeline_id = ?`);
    this.#deleteSnapshot = prepare(`delete from ${records} where timeline_id = ? and snapshot = 1`);
    this.#deleteSnapshotUpTo = prepare(
      `delete from ${records} where timeline_id = ? and snapshot = 1
       and timestamp <= ? and (timestamp < ? or record_key <= ?)`,
    );
    this.#stayReady = prepare(
      `update ${timelines} set last_processed = ?, lease_token = null, lease_expires_at = null,
       touched_at = coalesce(?, touched_at) where timeline_id = ?`,
    );
    this.#wait = prepare(
      `update ${timelines} set state = 'waiting', score = ?, last_processed = ?, lease_token = null,
       lease_expires_at = null, touched_at = coalesce(?, touched_at) where timeline_id = ?`,
    );
    this.#forget = prepare(`delete from ${timelines} where timeline_id = ?`);
    this.#timelineChunk = prepare(
      `select rowid, record_id, timestamp from ${records} where timeline_id = ? and snapshot = 0 limit ?`,
    );
    this.#snapshotTwin = prepare(
      `select rowid, timestamp from ${records} where timeline_id = ? and snapshot = 1 and record_id = ?`,
    );
    this.#deleteRow = prepare(`delete from ${records} where rowid = ?`);
    this.#moveRow = prepare(`update ${records} set snapshot = 1 where rowid = ?`);
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

  /**
   * Each add in order, all in one transaction: every add is written, or (on
   * an error) none. Returns each add's `first`, in input order.
   */
  add(adds: readonly SqlAdd[], context: StoreContext): boolean[] {
    return this.immediate(() => adds.map((add) => this.#add(add, context)));
  }

  #add(add: SqlAdd, { now, touch }: StoreContext): boolean {
    const row = get<ScheduleRow>(this.#schedule, add.key.id);
    run(
      this.#upsertRecord,
      add.key.id,
      add.recordKey.id,
      add.recordKey.bytes,
      add.value,
      add.valueIsText,
      add.timestamp,
    );
    if (add.trimTo !== undefined) this.#trim(add.key.id, 0, add.trimTo);
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

  /** Keeps the `capacity` newest records of one part of a timeline; returns how many went. */
  #trim(timelineId: Uint8Array, snapshot: 0 | 1, capacity: number): number {
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

  /**
   * One step of `DigestStore.open`, one transaction (see `SqlStore`): when
   * the timeline holds more than {@link MOVE_CHUNK} records, moves that many
   * into the snapshot (merging as `open` does) and returns `'moved'` — call
   * again; otherwise opens the digest. Moving ahead of the open is the same
   * merge `open` does, split up: between two steps the records already
   * moved are a left-over snapshot, which the next digest merges anyway.
   */
  openStep(request: SqlOpen): SqlOpened | 'moved' {
    return this.immediate(() => this.#open(request));
  }

  #open(request: SqlOpen): SqlOpened | 'moved' {
    const id = request.timelineId;
    const row = get<LeaseRow>(this.#lease, id);
    if (row?.lease_token != null && (row.lease_expires_at ?? -Infinity) > request.now) {
      return { outcome: 'conflict' };
    }
    if (row?.state !== 'ready') return { outcome: 'not-ready' };
    const chunk = all<TimelineRow>(this.#timelineChunk, id, MOVE_CHUNK + 1);
    if (chunk.length > MOVE_CHUNK) {
      this.#moveChunk(id, chunk.slice(0, MOVE_CHUNK));
      return 'moved';
    }
    // The whole timeline joins the snapshot (what was added since the last
    // open, each record moved once): the snapshot is what this digest, and
    // the next one after a failure, reads from.
    if (get(this.#anySnapshot, id) !== undefined) {
      run(this.#dropSnapshotLosers, id);
      run(this.#dropTimelineLosers, id);
    }
    run(this.#moveAll, id);
    if (request.capacity !== undefined) this.#trim(id, 1, request.capacity);
    // The timeline is empty now: the window is the snapshot's oldest, in index order.
    const { limit } = request;
    const window = all<SnapshotRow>(this.#window, id, limit === undefined ? -1 : limit + 1);
    const more = limit !== undefined && window.length > limit;
    const rows = more ? window.slice(0, limit) : window;
    run(this.#takeLease, request.token, request.expiresAt, request.touch ? request.now : null, id);
    return { outcome: 'opened', rows, more };
  }

  /** Moves timeline rows into the snapshot one by one, a record key in both keeping the newer. */
  #moveChunk(id: Uint8Array, rows: readonly TimelineRow[]): void {
    const merging = get(this.#anySnapshot, id) !== undefined;
    for (const row of rows) {
      if (merging) {
        const twin = get<{ rowid: number; timestamp: number }>(
          this.#snapshotTwin,
          id,
          row.record_id,
        );
        if (twin !== undefined) {
          if (row.timestamp >= twin.timestamp) run(this.#deleteRow, twin.rowid);
          else {
            run(this.#deleteRow, row.rowid);
            continue;
          }
        }
      }
      run(this.#moveRow, row.rowid);
    }
  }

  /** `DigestStore.commit` in one transaction; returns whether the lease was ours. */
  commit(request: SqlCommit): boolean {
    return this.immediate(() => this.#commitDigest(request));
  }

  #commitDigest(request: SqlCommit): boolean {
    const id = request.timelineId;
    const row = get<{ lease_token: string | null }>(this.#leaseToken, id);
    if (row === undefined || row.lease_token !== request.token) return false;
    const { delivered } = request;
    let removed = 0;
    if (delivered.kind === 'all') removed = run(this.#deleteSnapshot, id).changes;
    else if (delivered.kind === 'upTo') {
      removed = run(
        this.#deleteSnapshotUpTo,
        id,
        delivered.timestamp,
        delivered.timestamp,
        delivered.recordKey,
      ).changes;
    }
    const touched = request.touch ? request.now : null;
    if (get(this.#anySnapshot, id) !== undefined) {
      // A limited digest left records behind: the key stays ready, score kept.
      run(this.#stayReady, request.now, touched, id);
    } else if (removed > 0 || get(this.#anyRecord, id) !== undefined) {
      run(this.#wait, request.now + request.minimumDelay, request.now, touched, id);
    } else {
      run(this.#forget, id);
    }
    return true;
  }
}

function run(statement: Statement, ...parameters: unknown[]): Database.RunResult {
  return timedStatement(statement.source, () => statement.run(...parameters));
}

function get<T>(statement: Statement, ...parameters: unknown[]): T | undefined {
  return timedStatement(statement.source, () => statement.get(...parameters) as T | undefined);
}

function all<T>(statement: Statement, ...parameters: unknown[]): T[] {
  return timedStatement(statement.source, () => statement.all(...parameters) as T[]);
}
