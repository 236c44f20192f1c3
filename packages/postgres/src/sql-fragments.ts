import { quoteIdentifier, type TableNames } from '@digests/sql';

/**
 * `"schema"."name"` of a table or function of a prefix (just `"name"`
 * without a schema); only validated identifiers reach it.
 *
 * @example
 * ```ts
 * qualified(names, names.records); // '"public"."digests_records"'
 * ```
 */
export function qualified(names: TableNames, name: string): string {
  const local = quoteIdentifier(name);
  return names.schema === undefined ? local : `${quoteIdentifier(names.schema)}.${local}`;
}

/**
 * The parameters of the first `<prefix>add` (migration `0002_add_function`);
 * the newer overload appends `p_due_at, p_flush_threshold, p_touch`.
 * PostgreSQL keeps parameter names across `CREATE OR REPLACE`, so every
 * migration that replaces a body names them the same.
 */
export const ADD_PARAMETERS = `
  p_timeline_id bytea, p_timeline_key bytea, p_record_id bytea, p_record_key bytea,
  p_value bytea, p_value_is_text smallint,
  p_timestamp double precision, p_now double precision,
  p_increment_delay double precision, p_maximum_delay double precision, p_trim_to integer`;

/** The array parameters of the first `<prefix>add_many` (migration `0004_add_many_function`). */
export const ADD_MANY_PARAMETERS = `
  p_timeline_ids bytea[], p_timeline_keys bytea[], p_record_ids bytea[], p_record_keys bytea[],
  p_values bytea[], p_value_is_text smallint[],
  p_timestamps double precision[], p_nows double precision[],
  p_increment_delays double precision[], p_maximum_delays double precision[], p_trim_to integer[]`;

/**
 * The statement of an add that stores its record in one side of a timeline
 * (`side`: an SQL expression, `0`, or the timeline's live side): an upsert
 * on `(timeline_id, snapshot, record_id)`, the newest add of a record key
 * winning.
 *
 * @example
 * ```ts
 * const body = `${upsertRecord(records, 'v_live')};`;
 * ```
 */
export function upsertRecord(records: string, side: string): string {
  return `INSERT INTO ${records} AS r (timeline_id, snapshot, record_id, record_key, value, value_is_text, "timestamp")
  VALUES (p_timeline_id, ${side}, p_record_id, p_record_key, p_value, p_value_is_text, p_timestamp)
  ON CONFLICT (timeline_id, snapshot, record_id) DO UPDATE
    SET value = EXCLUDED.value, value_is_text = EXCLUDED.value_is_text, "timestamp" = EXCLUDED."timestamp"`;
}

/**
 * The statement that trims one side of a timeline to its newest `keep`
 * records (timestamp, then record key; `keep`: an SQL expression).
 *
 * @example
 * ```ts
 * const body = `IF p_trim_to IS NOT NULL THEN ${trimSide(records, 'v_live', 'p_trim_to')}; END IF;`;
 * ```
 */
export function trimSide(records: string, side: string, keep: string): string {
  return `DELETE FROM ${records} AS trimmed
    USING (
      SELECT o.record_id FROM ${records} AS o
      WHERE o.timeline_id = p_timeline_id AND o.snapshot = ${side}
      ORDER BY o."timestamp" DESC, o.record_key DESC
      OFFSET ${keep}
    ) AS old
    WHERE trimmed.timeline_id = p_timeline_id AND trimmed.snapshot = ${side} AND trimmed.record_id = old.record_id`;
}
