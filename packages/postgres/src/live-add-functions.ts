import type { TableNames } from '@digests/sql';
import { addFunctionName } from './add-function.js';
import { addManyFunctionName } from './add-many-function.js';
import {
  ADD_MANY_PARAMETERS,
  ADD_PARAMETERS,
  qualified,
  trimSide,
  upsertRecord,
} from './sql-fragments.js';

/**
 * The `CREATE OR REPLACE FUNCTION` statements of the add functions of
 * migration `0008_live_snapshot`: every add stores its record in the
 * timeline's live side (`timelines.live`), which `open_digest` flips instead
 * of moving the records into the snapshot.
 * - `add(…, p_due_at, p_flush_threshold, p_touch)`: SPEC `add` (the body of
 *   `0007_digest_functions`, on the live side);
 * - `add_many(…, p_due_ats, p_flush_thresholds, p_touch)`: the set-based
 *   body of `0005_add_many_set_based` (on the live side, touching only when
 *   asked) for batches without `dueAt`, `flushThreshold`, truncation or
 *   mixed maximum delays; otherwise one `add` per entry, in (timeline id,
 *   position) order;
 * - the older overloads of both (without `dueAt`, `flushThreshold` and
 *   `touch`) call the newer ones, so each rule has one body.
 *
 * @example
 * ```ts
 * for (const statement of liveAddFunctions(names)) await sql.raw(statement).execute(db);
 * ```
 */
export function liveAddFunctions(names: TableNames): string[] {
  const add = qualified(names, addFunctionName(names));
  const addMany = qualified(names, addManyFunctionName(names));
  const timelines = qualified(names, names.timelines);
  const records = qualified(names, names.records);

  const createAdd = `
CREATE OR REPLACE FUNCTION ${add}(${ADD_PARAMETERS},
  p_due_at double precision, p_flush_threshold integer, p_touch boolean
) RETURNS boolean LANGUAGE plpgsql AS $body$
DECLARE
  v_state text;
  v_score double precision;
  v_last double precision;
  v_live smallint;
  v_new_state text;
  v_new_score double precision;
  v_first boolean := false;
  v_size integer;
BEGIN
  LOOP
    SELECT t.state, t.score, t.last_processed, t.live INTO v_state, v_score, v_last, v_live
    FROM ${timelines} AS t WHERE t.timeline_id = p_timeline_id FOR UPDATE;
    EXIT WHEN FOUND;
    -- Absent: the row is created with its final schedule (it holds 1 record).
    IF p_due_at IS NOT NULL AND p_due_at > p_now THEN
      v_new_state := 'waiting'; v_new_score := p_due_at;
      IF p_flush_threshold IS NOT NULL AND p_flush_threshold <= 1 THEN
        v_new_state := 'ready'; v_new_score := p_now; v_first := true;
      END IF;
    ELSE
      v_new_state := 'ready'; v_new_score := coalesce(p_due_at, p_timestamp); v_first := true;
    END IF;
    INSERT INTO ${timelines} (timeline_id, timeline_key, state, score, touched_at, live)
    VALUES (p_timeline_id, p_timeline_key, v_new_state, v_new_score, p_now, 0)
    ON CONFLICT (timeline_id) DO NOTHING;
    IF FOUND THEN
      ${upsertRecord(records, '0')};
      RETURN v_first;
    END IF;
    -- A concurrent add created the row first: lock it and take the other path.
    v_first := false;
  END LOOP;

  ${upsertRecord(records, 'v_live')};
  IF p_trim_to IS NOT NULL THEN
    ${trimSide(records, 'v_live', 'p_trim_to')};
  END IF;

  IF v_state = 'ready' THEN
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
  RETURN v_first;
END
$body$`;

  const createAddMany = `
CREATE OR REPLACE FUNCTION ${addMany}(${ADD_MANY_PARAMETERS},
  p_due_ats double precision[], p_flush_thresholds integer[], p_touch boolean
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
DECLARE
  v_results boolean[] := array_fill(false, ARRAY[coalesce(cardinality(p_timeline_ids), 0)]);
  i integer;
BEGIN
  IF coalesce(cardinality(p_timeline_ids), 0) = 0 THEN
    RETURN v_results;
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(p_due_ats) AS d(v) WHERE d.v IS NOT NULL)
    OR EXISTS (SELECT 1 FROM unnest(p_flush_thresholds) AS f(v) WHERE f.v IS NOT NULL)
    OR EXISTS (SELECT 1 FROM unnest(p_trim_to) AS t(n) WHERE t.n IS NOT NULL)
    OR (SELECT count(DISTINCT d) FROM unnest(p_maximum_delays) AS m(d)) > 1 THEN
    FOR i IN
      SELECT s.i FROM generate_subscripts(p_timeline_ids, 1) AS s(i)
      ORDER BY p_timeline_ids[s.i], s.i
    LOOP
      v_results[i] := ${add}(
        p_timeline_ids[i], p_timeline_keys[i], p_record_ids[i], p_record_keys[i],
        p_values[i], p_value_is_text[i], p_timestamps[i], p_nows[i],
        p_increment_delays[i], p_maximum_delays[i], p_trim_to[i],
        p_due_ats[i], p_flush_thresholds[i], p_touch
      );
    END LOOP;
    RETURN v_results;
  END IF;

  -- Create absent timelines (ready at their first entry's timestamp) and lock
  -- the others, all in timeline id order (a DO UPDATE whose condition is false
  -- still locks the row). True only for the first entry of a timeline this
  -- call created.
  WITH entries AS (
    SELECT e.timeline_id, e.timeline_key, e.ts, e.nw, e.ord
    FROM unnest(p_timeline_ids, p_timeline_keys, p_timestamps, p_nows)
      WITH ORDINALITY AS e(timeline_id, timeline_key, ts, nw, ord)
  ), firsts AS (
    SELECT DISTINCT ON (f.timeline_id) f.timeline_id, f.timeline_key, f.ts, f.ord
    FROM entries AS f ORDER BY f.timeline_id, f.ord
  ), lasts AS (
    SELECT DISTINCT ON (l.timeline_id) l.timeline_id, l.nw
    FROM entries AS l ORDER BY l.timeline_id, l.ord DESC
  ), upserted AS (
    INSERT INTO ${timelines} AS t (timeline_id, timeline_key, state, score, touched_at, live)
    SELECT f.timeline_id, f.timeline_key, 'ready', f.ts, l.nw, 0
    FROM firsts AS f JOIN lasts AS l ON l.timeline_id = f.timeline_id
    ORDER BY f.timeline_id
    ON CONFLICT (timeline_id) DO UPDATE SET touched_at = EXCLUDED.touched_at WHERE p_touch
    RETURNING t.timeline_id, (t.xmax = 0) AS created
  )
  SELECT array_agg(coalesce(u.created AND f.ord IS NOT NULL, false) ORDER BY e.ord)
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
  WHERE t.timeline_id = b.timeline_id AND t.state = 'waiting';

  -- Records, in each timeline's live side: the last entry of a record key wins.
  INSERT INTO ${records} AS r (timeline_id, snapshot, record_id, record_key, value, value_is_text, "timestamp")
  SELECT DISTINCT ON (e.timeline_id, e.record_id)
    e.timeline_id, t.live, e.record_id, e.record_key, e.value, e.value_is_text, e.ts
  FROM unnest(p_timeline_ids, p_record_ids, p_record_keys, p_values, p_value_is_text, p_timestamps)
    WITH ORDINALITY AS e(timeline_id, record_id, record_key, value, value_is_text, ts, ord)
  JOIN ${timelines} AS t ON t.timeline_id = e.timeline_id
  ORDER BY e.timeline_id, e.record_id, e.ord DESC
  ON CONFLICT (timeline_id, snapshot, record_id) DO UPDATE
    SET value = EXCLUDED.value, value_is_text = EXCLUDED.value_is_text, "timestamp" = EXCLUDED."timestamp";

  RETURN v_results;
END
$body$`;

  // The older overloads: always touch, as they did.
  const createOldAdd = `
CREATE OR REPLACE FUNCTION ${add}(${ADD_PARAMETERS}
) RETURNS boolean LANGUAGE sql AS $body$
  SELECT ${add}(p_timeline_id, p_timeline_key, p_record_id, p_record_key, p_value, p_value_is_text,
    p_timestamp, p_now, p_increment_delay, p_maximum_delay, p_trim_to,
    NULL::double precision, NULL::integer, true)
$body$`;

  const createOldAddMany = `
CREATE OR REPLACE FUNCTION ${addMany}(${ADD_MANY_PARAMETERS}
) RETURNS boolean[] LANGUAGE sql AS $body$
  SELECT ${addMany}(p_timeline_ids, p_timeline_keys, p_record_ids, p_record_keys, p_values,
    p_value_is_text, p_timestamps, p_nows, p_increment_delays, p_maximum_delays, p_trim_to,
    array_fill(NULL::double precision, ARRAY[coalesce(cardinality(p_timeline_ids), 0)]),
    array_fill(NULL::integer, ARRAY[coalesce(cardinality(p_timeline_ids), 0)]), true)
$body$`;

  return [createAdd, createAddMany, createOldAdd, createOldAddMany];
}
