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

/** The columns of a `records` row, in the order every insert lists them. */
export const RECORD_COLUMNS =
  '(timeline_id, snapshot, record_id, record_key, value, value_is_text, "timestamp")';

/** The conflict clause of a record upsert: the newest add of a record key wins. */
export const ON_RECORD_CONFLICT = `ON CONFLICT (timeline_id, snapshot, record_id) DO UPDATE
    SET value = EXCLUDED.value, value_is_text = EXCLUDED.value_is_text, "timestamp" = EXCLUDED."timestamp"`;

/**
 * `text` with `by` put before every line but the first (which the caller
 * places), so a fragment written at one depth fits a deeper block.
 *
 * @example
 * ```ts
 * indent('IF x THEN\n  y;\nEND IF;', '  '); // 'IF x THEN\n    y;\n  END IF;'
 * ```
 */
export function indent(text: string, by: string): string {
  return text.replaceAll('\n', `\n${by}`);
}

/**
 * The parameters of the newer `<prefix>add` overload (`0007_digest_functions`),
 * its result and the declarations every body of it starts with.
 */
export const NEWER_ADD_HEAD = `${ADD_PARAMETERS},
  p_due_at double precision, p_flush_threshold integer, p_touch boolean
) RETURNS boolean LANGUAGE plpgsql AS $body$
DECLARE
  v_state text;
  v_score double precision;
  v_last double precision;`;

/** The declarations of every `add_many` body: the results (all false) and the loop index. */
export const ADD_MANY_DECLARATIONS = `DECLARE
  v_results boolean[] := array_fill(false, ARRAY[coalesce(cardinality(p_timeline_ids), 0)]);
  i integer;
BEGIN`;

/**
 * The parameters of the newer `<prefix>add_many` overload
 * (`0007_digest_functions`), its result and declarations, through `BEGIN`.
 */
export const NEWER_ADD_MANY_HEAD = `${ADD_MANY_PARAMETERS},
  p_due_ats double precision[], p_flush_thresholds integer[], p_touch boolean
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
${ADD_MANY_DECLARATIONS}`;

/**
 * The statement of an add that stores its record in one side of a timeline
 * (`side`: an SQL expression, `0`, or the timeline's live side): an upsert
 * on `(timeline_id, snapshot, record_id)`, the newest add of a record key
 * winning. `alias` names the table in the statement (`null`: none, as
 * `0007_digest_functions` wrote it).
 *
 * @example
 * ```ts
 * const body = `${upsertRecord(records, 'v_live')};`;
 * ```
 */
export function upsertRecord(records: string, side: string, alias: string | null = 'r'): string {
  const target = alias === null ? records : `${records} AS ${alias}`;
  return `INSERT INTO ${target} ${RECORD_COLUMNS}
  VALUES (p_timeline_id, ${side}, p_record_id, p_record_key, p_value, p_value_is_text, p_timestamp)
  ${ON_RECORD_CONFLICT}`;
}

/**
 * The statement that trims one side of a timeline to its newest `keep`
 * records (timestamp, then record key; `keep`: an SQL expression; `alias`:
 * the name of the trimmed table in the statement).
 *
 * @example
 * ```ts
 * const body = `IF p_trim_to IS NOT NULL THEN ${trimSide(records, 'v_live', 'p_trim_to')}; END IF;`;
 * ```
 */
export function trimSide(records: string, side: string, keep: string, alias = 'trimmed'): string {
  return `DELETE FROM ${records} AS ${alias}
    USING (
      SELECT o.record_id FROM ${records} AS o
      WHERE o.timeline_id = p_timeline_id AND o.snapshot = ${side}
      ORDER BY o."timestamp" DESC, o.record_key DESC
      OFFSET ${keep}
    ) AS old
    WHERE ${alias}.timeline_id = p_timeline_id AND ${alias}.snapshot = ${side} AND ${alias}.record_id = old.record_id`;
}

/**
 * The per-entry loop of an `add_many` body (from `0004_add_many_function`):
 * one `<prefix>add` call per entry, in (timeline id, position) order; with
 * `dueAt` the call passes `p_due_ats[i], p_flush_thresholds[i], p_touch` (the
 * newer overload of `0007_digest_functions`). Written at a depth of 2.
 *
 * @example
 * ```ts
 * const body = `BEGIN\n  ${perEntryAdds(add, false)}\n  RETURN v_results;\nEND`;
 * ```
 */
export function perEntryAdds(add: string, dueAt: boolean): string {
  const newer = dueAt ? ',\n      p_due_ats[i], p_flush_thresholds[i], p_touch' : '';
  return `FOR i IN
    SELECT s.i FROM generate_subscripts(p_timeline_ids, 1) AS s(i)
    ORDER BY p_timeline_ids[s.i], s.i
  LOOP
    v_results[i] := ${add}(
      p_timeline_ids[i], p_timeline_keys[i], p_record_ids[i], p_record_keys[i],
      p_values[i], p_value_is_text[i], p_timestamps[i], p_nows[i],
      p_increment_delays[i], p_maximum_delays[i], p_trim_to[i]${newer}
    );
  END LOOP;`;
}

/**
 * The schedule of a timeline an add creates (`0007_digest_functions`): due
 * at `p_due_at` when later, ready at once otherwise or when the flush
 * threshold is 1. Written at a depth of 4.
 */
export const NEW_TIMELINE_SCHEDULE = `IF p_due_at IS NOT NULL AND p_due_at > p_now THEN
      v_new_state := 'waiting'; v_new_score := p_due_at;
      IF p_flush_threshold IS NOT NULL AND p_flush_threshold <= 1 THEN
        v_new_state := 'ready'; v_new_score := p_now; v_first := true;
      END IF;
    ELSE
      v_new_state := 'ready'; v_new_score := coalesce(p_due_at, p_timestamp); v_first := true;
    END IF;`;

/**
 * The end of the newer `<prefix>add` body (`0007_digest_functions`): SPEC's
 * reschedule of an existing timeline (with `dueAt` and the flush threshold)
 * and its touch. Written at a depth of 2.
 */
export function rescheduleAfterAdd(timelines: string, records: string): string {
  return `IF v_state = 'ready' THEN
    v_new_state := 'ready'; v_new_score := v_score;
  ELSIF p_due_at IS NOT NULL THEN
    v_new_state := 'waiting'; v_new_score := LEAST(v_score, p_due_at);
  ELSIF v_last IS NULL THEN
    v_new_state := 'waiting'; v_new_score := LEAST(v_score, p_timestamp);
  ELSE
    v_new_state := 'waiting'; v_new_score := LEAST(v_score + p_increment_delay, v_last + p_maximum_delay);
  END IF;
  IF v_new_state = 'waiting' AND p_flush_threshold IS NOT NULL THEN
    -- Counting stops at the threshold: a flush check never reads a whole timeline.
    SELECT count(*) INTO v_size FROM (
      SELECT 1 FROM ${records} AS c WHERE c.timeline_id = p_timeline_id LIMIT p_flush_threshold
    ) AS counted;
    IF v_size >= p_flush_threshold THEN
      v_new_state := 'ready'; v_new_score := p_now; v_first := true;
    END IF;
  END IF;
  IF v_new_state <> v_state OR v_new_score <> v_score THEN
    UPDATE ${timelines} AS t SET state = v_new_state, score = v_new_score,
      touched_at = CASE WHEN p_touch THEN p_now ELSE t.touched_at END
    WHERE t.timeline_id = p_timeline_id;
  ELSIF p_touch THEN
    UPDATE ${timelines} AS t SET touched_at = p_now WHERE t.timeline_id = p_timeline_id;
  END IF;
  RETURN v_first;`;
}

/**
 * The batch's entries of a set-based `add_many` (`0005_add_many_set_based`)
 * and, per timeline, its first and last entry: the `WITH` clause up to the
 * upsert of the timeline rows. Written at a depth of 2.
 */
export const BATCH_ENTRIES = `WITH entries AS (
    SELECT e.timeline_id, e.timeline_key, e.ts, e.nw, e.ord
    FROM unnest(p_timeline_ids, p_timeline_keys, p_timestamps, p_nows)
      WITH ORDINALITY AS e(timeline_id, timeline_key, ts, nw, ord)
  ), firsts AS (
    SELECT DISTINCT ON (f.timeline_id) f.timeline_id, f.timeline_key, f.ts, f.ord
    FROM entries AS f ORDER BY f.timeline_id, f.ord
  ), lasts AS (
    SELECT DISTINCT ON (l.timeline_id) l.timeline_id, l.nw
    FROM entries AS l ORDER BY l.timeline_id, l.ord DESC
  ), upserted AS (`;

/**
 * The rest of a set-based `add_many` (`0005_add_many_set_based`) after the
 * upsert of the timeline rows: the results (true only for the first entry of
 * a timeline the call created), then the closed form of the batch's
 * reschedules of waiting timelines. Written at a depth of 2.
 */
export function batchResultsAndReschedule(timelines: string): string {
  return `SELECT array_agg(coalesce(u.created AND f.ord IS NOT NULL, false) ORDER BY e.ord)
  INTO v_results
  FROM entries AS e
  LEFT JOIN firsts AS f ON f.timeline_id = e.timeline_id AND f.ord = e.ord
  LEFT JOIN upserted AS u ON u.timeline_id = e.timeline_id;

  -- Waiting timelines: the closed form of the batch's reschedules.
  UPDATE ${timelines} AS t SET
    score = CASE
      WHEN t.last_processed IS NULL THEN LEAST(t.score, b.min_ts)
      ELSE LEAST(t.score + b.increments, t.last_processed + b.maximum_delay)
    END
  FROM (
    SELECT e.timeline_id, min(e.ts) AS min_ts, sum(e.inc) AS increments, max(e.maxd) AS maximum_delay
    FROM unnest(p_timeline_ids, p_timestamps, p_increment_delays, p_maximum_delays)
      AS e(timeline_id, ts, inc, maxd)
    GROUP BY e.timeline_id
  ) AS b
  WHERE t.timeline_id = b.timeline_id AND t.state = 'waiting';`;
}

/**
 * The records of a set-based `add_many` (`0005_add_many_set_based`), upserted
 * at once in the side `side` (an SQL expression; `join`: the lines joining
 * what it reads, each ending in a newline), the last entry of a record key
 * winning; then the end of the body. Written at a depth of 2.
 */
export function batchRecordUpserts(records: string, side: string, join = ''): string {
  return `INSERT INTO ${records} AS r ${RECORD_COLUMNS}
  SELECT DISTINCT ON (e.timeline_id, e.record_id)
    e.timeline_id, ${side}, e.record_id, e.record_key, e.value, e.value_is_text, e.ts
  FROM unnest(p_timeline_ids, p_record_ids, p_record_keys, p_values, p_value_is_text, p_timestamps)
    WITH ORDINALITY AS e(timeline_id, record_id, record_key, value, value_is_text, ts, ord)
${join}  ORDER BY e.timeline_id, e.record_id, e.ord DESC
  ${ON_RECORD_CONFLICT};

  RETURN v_results;
END
$body$`;
}
