import { timedStatement } from '@digests/sql';
import type Database from 'better-sqlite3';

/** A prepared better-sqlite3 statement. */
export type Statement = Database.Statement;

/**
 * Runs a write statement as an `sql` action of the current timeline.
 *
 * @example
 * ```ts
 * const { changes } = run(deleteRow, rowid);
 * ```
 */
export function run(statement: Statement, ...parameters: unknown[]): Database.RunResult {
  return timedStatement(statement.source, () => statement.run(...parameters));
}

/**
 * Reads the first row of a statement (or `undefined`) as an `sql` action.
 *
 * @example
 * ```ts
 * const row = get<{ n: number }>(count, id);
 * ```
 */
export function get<T>(statement: Statement, ...parameters: unknown[]): T | undefined {
  return timedStatement(statement.source, () => statement.get(...parameters) as T | undefined);
}

/**
 * Reads every row of a statement as an `sql` action.
 *
 * @example
 * ```ts
 * const rows = all<SnapshotRow>(window, id, 1001);
 * ```
 */
export function all<T>(statement: Statement, ...parameters: unknown[]): T[] {
  return timedStatement(statement.source, () => statement.all(...parameters) as T[]);
}

/** The side of `records` a timeline's other part is on (sides are 0 and 1). */
export type Side = 0 | 1;

/**
 * The other side: the snapshot when given the live side, and back.
 *
 * @example
 * ```ts
 * const snapshot = otherSide(row.live);
 * ```
 */
export function otherSide(side: Side): Side {
  return side === 0 ? 1 : 0;
}
