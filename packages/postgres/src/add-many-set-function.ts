import type { TableNames } from '@digests/sql';
import { type Migration, sql } from 'kysely';
import { addFunctionName } from './add-function.js';
import { addManyFunctionName } from './add-many-function.js';
import { qualified } from './sql-fragments.js';

const PARAMETERS = `
  p_timeline_ids bytea[], p_timeline_keys bytea[], p_record_ids bytea[], p_record_keys bytea[],
  p_values bytea[], p_value_is_text smallint[],
  p_timestamps double precision[], p_nows double precision[],
  p_increment_delays double precision[], p_maximum_delays double precision[], p_trim_to integer[]`;

/** The per-entry loop of `0004_add_many_function`: every entry one `<prefix>add` call. */
function loopBody(add: string): string {
  return `
  FOR i IN
    SELECT s.i FROM generate_subscripts(p_timeline_ids, 1) AS s(i)
    ORDER BY p_timeline_ids[s.i], s.i
  LOOP
    v_results[i] := ${add}(
      p_timeline_ids[i], p_timeline_keys[i], p_record_ids[i], p_record_keys[i],
      p_values[i], p_value_is_text[i], p_timestamps[i], p_nows[i],
      p_increment_delays[i], p_maximum_delays[i], p_trim_to[i]
    );
  END LOOP;
  RETURN v_results;`;
}

/**
 * The migration replacing `<prefix>add_many(…)` by a set-based body: per
 * timeline, a batch's effect on the schedule has a closed form equal to
 * SPEC's `add` applied entry by entry in batch order:
 * - ready before → unchanged, every entry returns false;
 * - absent before → ready at the timestamp of the timeline's first entry,
 *   which alone returns true;
 * - waiting, L unknown → min(S, the batch's smallest timestamp for it);
 * - waiting, L known → min(S + Σ incrementDelay, L + maximumDelay).
 *
 * Timeline rows are inserted or locked in one `INSERT … ON CONFLICT DO
 * UPDATE` ordered by timeline id (the same order as every batch, so
 * concurrent batches never deadlock each other); `xmax = 0` tells the rows it
 * created. Records are upserted at once, the last entry of a record key in
 * batch order winning. A batch that draws truncation for any entry, or whose
 * entries carry different maximum delays, runs the per-entry loop of
 * `0004_add_many_function` instead (still one statement).
 *
 * @example
 * ```ts
 * const migrations = { ...addManyFunctionMigration(names), ...addManySetFunctionMigration(names) };
 * ```
 */
export function addManySetFunctionMigration(names: TableNames): Record<string, Migration> {
  const fn = qualified(names, addManyFunctionName(names));
  const add = qualified(names, addFunctionName(names));
  const timelines = qualified(names, names.timelines);
  const records = qualified(names, names.records);
  const create = `
CREATE OR REPLACE FUNCTION ${fn}(${PARAMETERS}
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
DECLARE
  v_results boolean[] := array_fill(false, ARRAY[coalesce(cardinality(p_timeline_ids), 0)]);
  i integer;
BEGIN
  IF coalesce(cardinality(p_timeline_ids), 0) = 0 THEN
    RETURN v_results;
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(p_trim_to) AS t(n) WHERE t.n IS NOT NULL)
    OR (SELECT count(DISTINCT d) FROM unnest(p_maximum_delays) AS m(d)) > 1 THEN
    ${loopBody(add)}
  END IF;

  -- Create absent timelines (ready at their first entry's timestamp) and lock
  -- the others, all in timeline id order. True only for the first entry of a
  -- timeline this call created.
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
    INSERT INTO ${timelines} AS t (timeline_id, timeline_key, state, score, touched_at)
    SELECT f.timeline_id, f.timeline_key, 'ready', f.ts, l.nw
    FROM firsts AS f JOIN lasts AS l ON l.timeline_id = f.timeline_id
    ORDER BY f.timeline_id
    ON CONFLICT (timeline_id) DO UPDATE SET touched_at = EXCLUDED.touched_at
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

  -- Records: the last entry of a (timeline, record key) wins.
  INSERT INTO ${records} AS r (timeline_id, snapshot, record_id, record_key, value, value_is_text, "timestamp")
  SELECT DISTINCT ON (e.timeline_id, e.record_id)
    e.timeline_id, 0, e.record_id, e.record_key, e.value, e.value_is_text, e.ts
  FROM unnest(p_timeline_ids, p_record_ids, p_record_keys, p_values, p_value_is_text, p_timestamps)
    WITH ORDINALITY AS e(timeline_id, record_id, record_key, value, value_is_text, ts, ord)
  ORDER BY e.timeline_id, e.record_id, e.ord DESC
  ON CONFLICT (timeline_id, snapshot, record_id) DO UPDATE
    SET value = EXCLUDED.value, value_is_text = EXCLUDED.value_is_text, "timestamp" = EXCLUDED."timestamp";

  RETURN v_results;
END
$body$`;
  const restore = `
CREATE OR REPLACE FUNCTION ${fn}(${PARAMETERS}
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
DECLARE
  v_results boolean[] := array_fill(false, ARRAY[coalesce(cardinality(p_timeline_ids), 0)]);
  i integer;
BEGIN
  ${loopBody(add)}
END
$body$`;
  return {
    '0005_add_many_set_based': {
      up: async (db) => void (await sql.raw(create).execute(db)),
      down: async (db) => void (await sql.raw(restore).execute(db)),
    },
  };
}
