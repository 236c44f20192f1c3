import { quoteIdentifier, type TableNames } from '@digests/sql';
import type Database from 'better-sqlite3';
import { get, run, type Side, type Statement } from './prepared.js';

interface TrimRow {
  timestamp: number;
  record_key: Uint8Array;
}

/**
 * Trimming one side of a timeline to its `capacity` newest records: the
 * boundary comes from the `records_oldest` index (newest first, `offset
 * capacity - 1`), then one range delete.
 *
 * @example
 * ```ts
 * const removed = new TrimStatements(database, names).trim(timelineId, live, 100);
 * ```
 */
export class TrimStatements {
  readonly #boundary: Statement;
  readonly #older: Statement;

  constructor(database: Database.Database, names: TableNames) {
    const records = quoteIdentifier(names.records);
    this.#boundary = database.prepare(
      `select timestamp, record_key from ${records} where timeline_id = ? and snapshot = ?
       order by timestamp desc, record_key desc limit 1 offset ?`,
    );
    this.#older = database.prepare(
      `delete from ${records} where timeline_id = ? and snapshot = ?
       and timestamp <= ? and (timestamp < ? or record_key < ?)`,
    );
  }

  /** Keeps the `capacity` newest records of one side of a timeline; returns how many went. */
  trim(timelineId: Uint8Array, side: Side, capacity: number): number {
    const last = get<TrimRow>(this.#boundary, timelineId, side, capacity - 1);
    if (last === undefined) return 0;
    return run(this.#older, timelineId, side, last.timestamp, last.timestamp, last.record_key)
      .changes;
  }
}
