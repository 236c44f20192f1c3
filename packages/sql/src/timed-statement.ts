import { timed } from '@digests/core';

/** The category of the action every SQL statement records (core's `timed`). */
export const SQL_CATEGORY = 'sql';

/** The longest statement text an action keeps. */
const MAX_DETAIL = 200;
/** Statements are a few dozen fixed shapes; the memo is cleared if it ever grows past this. */
const MAX_REMEMBERED = 512;

const details = new Map<string, string>();

/**
 * The detail an SQL action records: the statement text on one line, cut to
 * 200 characters. Never the parameters: only the text, whose values are `?`
 * or `$1` placeholders. Memoised, so a statement run often costs one lookup.
 *
 * @example
 * ```ts
 * statementDetail('select *\n  from "t"'); // 'select * from "t"'
 * ```
 */
export function statementDetail(sql: string): string {
  let detail = details.get(sql);
  if (detail === undefined) {
    const line = sql.replace(/\s+/g, ' ').trim();
    detail = line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
    if (details.size >= MAX_REMEMBERED) details.clear();
    details.set(sql, detail);
  }
  return detail;
}

/**
 * Runs one SQL round trip as an `sql` action of the current timeline (and a
 * span, with a tracer registered), named by its text. Without either, this
 * is a memo lookup and core's context check around `run`.
 *
 * @example
 * ```ts
 * const row = timedStatement(statement.source, () => statement.get(id));
 * ```
 */
export function timedStatement<T>(sql: string, run: () => T): T {
  return timed(SQL_CATEGORY, statementDetail(sql), run);
}
