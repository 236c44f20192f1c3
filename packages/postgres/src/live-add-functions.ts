import type { TableNames } from '@digests/sql';
import { addFunctionName } from './add-function.js';
import { addManyFunctionName } from './add-many-function.js';
import {
  ADD_MANY_PARAMETERS,
  ADD_PARAMETERS,
  BATCH_ENTRIES,
  batchRecordUpserts,
  batchResultsAndReschedule,
  indent,
  NEW_TIMELINE_SCHEDULE,
  NEWER_ADD_HEAD,
  NEWER_ADD_MANY_HEAD,
  perEntryAdds,
  qualified,
  rescheduleAfterAdd,
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
CREATE OR REPLACE FUNCTION ${add}(${NEWER_ADD_HEAD}
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
    ${NEW_TIMELINE_SCHEDULE}
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

  ${rescheduleAfterAdd(timelines, records)}
END
$body$`;

  const createAddMany = `
CREATE OR REPLACE FUNCTION ${addMany}(${NEWER_ADD_MANY_HEAD}
  IF coalesce(cardinality(p_timeline_ids), 0) = 0 THEN
    RETURN v_results;
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(p_due_ats) AS d(v) WHERE d.v IS NOT NULL)
    OR EXISTS (SELECT 1 FROM unnest(p_flush_thresholds) AS f(v) WHERE f.v IS NOT NULL)
    OR EXISTS (SELECT 1 FROM unnest(p_trim_to) AS t(n) WHERE t.n IS NOT NULL)
    OR (SELECT count(DISTINCT d) FROM unnest(p_maximum_delays) AS m(d)) > 1 THEN
    ${indent(perEntryAdds(add, true), '  ')}
    RETURN v_results;
  END IF;

  -- Create absent timelines (ready at their first entry's timestamp) and lock
  -- the others, all in timeline id order (a DO UPDATE whose condition is false
  -- still locks the row). True only for the first entry of a timeline this
  -- call created.
  ${BATCH_ENTRIES}
    INSERT INTO ${timelines} AS t (timeline_id, timeline_key, state, score, touched_at, live)
    SELECT f.timeline_id, f.timeline_key, 'ready', f.ts, l.nw, 0
    FROM firsts AS f JOIN lasts AS l ON l.timeline_id = f.timeline_id
    ORDER BY f.timeline_id
    ON CONFLICT (timeline_id) DO UPDATE SET touched_at = EXCLUDED.touched_at WHERE p_touch
    RETURNING t.timeline_id, (t.xmax = 0) AS created
  )
  ${batchResultsAndReschedule(timelines)}

  -- Records, in each timeline's live side: the last entry of a record key wins.
  ${batchRecordUpserts(records, 't.live', `  JOIN ${timelines} AS t ON t.timeline_id = e.timeline_id\n`)}`;

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
