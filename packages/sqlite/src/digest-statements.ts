import {
  quoteIdentifier,
  type SnapshotRow,
  type SqlCommit,
  type SqlOpen,
  type SqlOpened,
  type TableNames,
} from '@digests/sql';
import type Database from 'better-sqlite3';
import { all, get, otherSide, run, type Side, type Statement } from './prepared.js';
import { TrimStatements } from './trim-statements.js';

/**
 * The most timeline records one open transaction merges into a left-over
 * snapshot. A larger timeline is merged over several short transactions
 * before the digest opens, so no transaction holds the write lock for long.
 */
export const MOVE_CHUNK = 2000;

/** Greater than every SHA-256 record id (blobs compare bytes, then length). */
const PAST_EVERY_ID = new Uint8Array(33).fill(0xff);

interface LeaseRow {
  state: 'waiting' | 'ready';
  lease_token: string | null;
  lease_expires_at: number | null;
  live: Side;
}

/**
 * SQLite's `open` and `commit` on prepared statements, each run inside the
 * caller's write transaction.
 *
 * The records of a timeline sit on two sides of `records.snapshot`:
 * `timelines.live` names the side adds write to, the other side is the
 * snapshot. Opening a digest with no snapshot left over flips `live` — one
 * row written whatever the timeline holds, where moving every record
 * rewrote its row and its primary-key entry. Only a left-over snapshot (a
 * failed or limited digest) makes `open` move records: those added since,
 * each once, set-based, in chunks of {@link MOVE_CHUNK}. The window (the
 * oldest `limit` records) then comes from the `records_oldest` index, so a
 * digest costs what it hands out, not what the timeline holds.
 *
 * @example
 * ```ts
 * const digests = new DigestStatements(database, names);
 * const opened = digests.open(request); // inside BEGIN IMMEDIATE … COMMIT
 * ```
 */
export class DigestStatements {
  readonly #lease: Statement;
  readonly #anyOnSide: Statement;
  readonly #anyRecord: Statement;
  readonly #chunkBound: Statement;
  readonly #dropSnapshotLosers: Statement;
  readonly #dropTimelineLosers: Statement;
  readonly #moveUpTo: Statement;
  readonly #window: Statement;
  readonly #takeLease: Statement;
  readonly #leaseToken: Statement;
  readonly #deleteSide: Statement;
  readonly #deleteUpTo: Statement;
  readonly #stayReady: Statement;
  readonly #wait: Statement;
  readonly #forget: Statement;
  readonly #trim: TrimStatements;

  constructor(database: Database.Database, names: TableNames) {
    const timelines = quoteIdentifier(names.timelines);
    const records = quoteIdentifier(names.records);
    const prepare = (sql: string) => database.prepare(sql);
    this.#lease = prepare(
      `select state, lease_token, lease_expires_at, live from ${timelines} where timeline_id = ?`,
    );
    this.#anyOnSide = prepare(
      `select 1 from ${records} where timeline_id = ? and snapshot = ? limit 1`,
    );
    this.#anyRecord = prepare(`select 1 from ${records} where timeline_id = ? limit 1`);
    // The merge of a chunk of the live side (record ids up to a bound, in
    // primary-key order) into the snapshot side. The timeline drives it
    // (CROSS JOIN keeps it the outer loop): a snapshot record the timeline
    // equals or supersedes goes, then a timeline record older than its twin,
    // then the rest of the chunk changes sides.
    this.#chunkBound = prepare(
      `select record_id from ${records} where timeline_id = ? and snapshot = ?
       order by record_id limit 2 offset ?`,
    );
    this.#dropSnapshotLosers = prepare(
      `delete from ${records} where rowid in (
         select s.rowid from ${records} t cross join ${records} s
         on s.timeline_id = t.timeline_id and s.snapshot = @snapshot and s.record_id = t.record_id
         where t.timeline_id = @id and t.snapshot = @live and t.record_id <= @bound and t.timestamp >= s.timestamp)`,
    );
    this.#dropTimelineLosers = prepare(
      `delete from ${records} where rowid in (
         select t.rowid from ${records} t cross join ${records} s
         on s.timeline_id = t.timeline_id and s.snapshot = @snapshot and s.record_id = t.record_id
         where t.timeline_id = @id and t.snapshot = @live and t.record_id <= @bound)`,
    );
    this.#moveUpTo = prepare(
      `update ${records} set snapshot = @snapshot where timeline_id = @id and snapshot = @live and record_id <= @bound`,
    );
    this.#window = prepare(
      `select record_key, value, value_is_text, timestamp from ${records}
       where timeline_id = ? order by timestamp, record_key limit ?`,
    );
    this.#takeLease = prepare(
      `update ${timelines} set lease_token = ?, lease_expires_at = ?, touched_at = coalesce(?, touched_at),
       live = ? where timeline_id = ?`,
    );
    this.#leaseToken = prepare(`select lease_token, live from ${timelines} where timeline_id = ?`);
    this.#deleteSide = prepare(`delete from ${records} where timeline_id = ? and snapshot = ?`);
    // `+snapshot`: the range comes from `records_oldest` (the oldest first),
    // not from the primary key, which would walk the whole snapshot.
    this.#deleteUpTo = prepare(
      `delete from ${records} where timeline_id = ? and +snapshot = ?
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
    this.#trim = new TrimStatements(database, names);
  }

  /**
   * One step of `DigestStore.open` (see `SqlStore`): when a left-over
   * snapshot must absorb more than {@link MOVE_CHUNK} timeline records,
   * merges that many and returns `'moved'` — call again, in a new
   * transaction; otherwise opens the digest. Between two steps the records
   * already merged are a left-over snapshot, which the next step merges anyway.
   */
  open(request: SqlOpen): SqlOpened | 'moved' {
    const id = request.timelineId;
    const row = get<LeaseRow>(this.#lease, id);
    if (row?.lease_token != null && (row.lease_expires_at ?? -Infinity) > request.now) {
      return { outcome: 'conflict' };
    }
    if (row?.state !== 'ready') return { outcome: 'not-ready' };
    let live = row.live;
    let snapshot = otherSide(live);
    if (get(this.#anyOnSide, id, snapshot) === undefined) {
      // No snapshot left over: the timeline becomes the snapshot as it stands.
      [live, snapshot] = [snapshot, live];
    } else if (get(this.#anyOnSide, id, live) !== undefined) {
      const bound = all<{ record_id: Uint8Array }>(this.#chunkBound, id, live, MOVE_CHUNK - 1);
      const more = bound.length > 1;
      this.#merge(id, live, snapshot, more ? bound[0]!.record_id : PAST_EVERY_ID);
      if (more) return 'moved';
    }
    if (request.capacity !== undefined) this.#trim.trim(id, snapshot, request.capacity);
    // The live side is empty now: the window is the snapshot's oldest, in index order.
    const { limit } = request;
    const window = all<SnapshotRow>(this.#window, id, limit === undefined ? -1 : limit + 1);
    const more = limit !== undefined && window.length > limit;
    const rows = more ? window.slice(0, limit) : window;
    const touched = request.touch ? request.now : null;
    run(this.#takeLease, request.token, request.expiresAt, touched, live, id);
    return { outcome: 'opened', rows, more };
  }

  /** Merges the live records with ids up to `bound` into the snapshot side. */
  #merge(id: Uint8Array, live: Side, snapshot: Side, bound: Uint8Array): void {
    const parameters = { id, live, snapshot, bound };
    run(this.#dropSnapshotLosers, parameters);
    run(this.#dropTimelineLosers, parameters);
    run(this.#moveUpTo, parameters);
  }

  /** `DigestStore.commit`; returns whether the lease was ours. */
  commit(request: SqlCommit): boolean {
    const id = request.timelineId;
    const row = get<{ lease_token: string | null; live: Side }>(this.#leaseToken, id);
    if (row === undefined || row.lease_token !== request.token) return false;
    const snapshot = otherSide(row.live);
    const { delivered } = request;
    let removed = 0;
    if (delivered.kind === 'all') removed = run(this.#deleteSide, id, snapshot).changes;
    else if (delivered.kind === 'upTo') {
      const { timestamp, recordKey } = delivered;
      removed = run(this.#deleteUpTo, id, snapshot, timestamp, timestamp, recordKey).changes;
    }
    const touched = request.touch ? request.now : null;
    if (get(this.#anyOnSide, id, snapshot) !== undefined) {
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
