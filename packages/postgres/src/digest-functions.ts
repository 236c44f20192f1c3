import { quoteIdentifier, type TableNames } from '@digests/sql';
import { type Migration, sql } from 'kysely';
import { addFunctionName } from './add-function.js';
import { addManyFunctionName } from './add-many-function.js';
import { qualified } from './sql-fragments.js';

/** The name of the digest-opening function of a prefix, e.g. `digests_open_digest`. */
export function openFunctionName(names: TableNames): string {
  return names.prefixed('open_digest');
}

/** The name of the digest-committing function of a prefix, e.g. `digests_commit_digest`. */
export function commitFunctionName(names: TableNames): string {
  return names.prefixed('commit_digest');
}

const OLD_ADD_PARAMETERS = `
  p_timeline_id bytea, p_timeline_key bytea, p_record_id bytea, p_record_key bytea,
  p_value bytea, p_value_is_text smallint,
  p_timestamp double precision, p_now double precision,
  p_increment_delay double precision, p_maximum_delay double precision, p_trim_to integer`;

const ADD_SIGNATURE = `bytea, bytea, bytea, bytea, bytea, smallint, double precision, double precision,
  double precision, double precision, integer, double precision, integer, boolean`;

const ADD_MANY_SIGNATURE = `bytea[], bytea[], bytea[], bytea[], bytea[], smallint[], double precision[],
  double precision[], double precision[], double precision[], integer[], double precision[], integer[], boolean`;

const OPEN_SIGNATURE = 'bytea, text, double precision, double precision, boolean, integer, integer';

const COMMIT_SIGNATURE =
  'bytea, text, double precision, double precision, boolean, smallint, double precision, bytea';

/**
 * The migration `0007_digest_functions`: the store's hot steps as one
 * statement each, so a digest is two round trips whatever its size.
 * - `<prefix>add(…, p_due_at, p_flush_threshold, p_touch)`: SPEC `add` with
 *   `dueAt` and `flushThreshold` (a new overload; the older one stays for
 *   the set-based `add_many` of `0005`, which the new `add_many` overload
 *   calls for batches without either);
 * - `<prefix>open_digest(…)`: lease, the timeline merged into the snapshot,
 *   capacity, and the window of the snapshot's oldest `limit` records; one
 *   row per record (kind 0), then a closing row (kind 1, or 2 when records
 *   remain past the window; 3 conflict; 4 not ready);
 * - `<prefix>commit_digest(…)`: removes the delivered records (all, or up to
 *   the window's last (timestamp, record key)) and reschedules.
 * It also replaces the index `records_newest` by `records_oldest`
 * (timeline, timestamp): the window is read in index order.
 *
 * @example
 * ```ts
 * const migrations = { ...addManySetFunctionMigration(names), ...digestFunctionsMigration(names) };
 * ```
 */
export function digestFunctionsMigration(names: TableNames): Record<string, Migration> {
  const add = qualified(names, addFunctionName(names));
  const addMany = qualified(names, addManyFunctionName(names));
  const open = qualified(names, openFunctionName(names));
  const commit = qualified(names, commitFunctionName(names));
  const timelines = qualified(names, names.timelines);
  const records = qualified(names, names.records);
  const oldest = quoteIdentifier(names.prefixed('records_oldest'));
  const newest = quoteIdentifier(names.prefixed('records_newest'));
  const schema = names.schema === undefined ? '' : `${quoteIdentifier(names.schema)}.`;

  const createAdd = `
CREATE OR REPLACE FUNCTION ${add}(${OLD_ADD_PARAMETERS},
  p_due_at double precision, p_flush_threshold integer, p_touch boolean
) RETURNS boolean LANGUAGE plpgsql AS $body$
DECLARE
  v_state text;
  v_score double precision;
  v_last double precision;
  v_new_state text;
  v_new_score double precision;
  v_first boolean := false;
  v_size integer;
BEGIN
  LOOP
    SELECT t.state, t.score, t.last_processed INTO v_state, v_score, v_last
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
    INSERT INTO ${timelines} (timeline_id, timeline_key, state, score, touched_at)
    VALUES (p_timeline_id, p_timeline_key, v_new_state, v_new_score, p_now)
    ON CONFLICT (timeline_id) DO NOTHING;
    IF FOUND THEN
      INSERT INTO ${records} (timeline_id, snapshot, record_id, record_key, value, value_is_text, "timestamp")
      VALUES (p_timeline_id, 0, p_record_id, p_record_key, p_value, p_value_is_text, p_timestamp)
      ON CONFLICT (timeline_id, snapshot, record_id) DO UPDATE
        SET value = EXCLUDED.value, value_is_text = EXCLUDED.value_is_text, "timestamp" = EXCLUDED."timestamp";
      RETURN v_first;
    END IF;
    -- A concurrent add created the row first: lock it and take the other path.
    v_first := false;
  END LOOP;

  INSERT INTO ${records} (timeline_id, snapshot, record_id, record_key, value, value_is_text, "timestamp")
  VALUES (p_timeline_id, 0, p_record_id, p_record_key, p_value, p_value_is_text, p_timestamp)
  ON CONFLICT (timeline_id, snapshot, record_id) DO UPDATE
    SET value = EXCLUDED.value, value_is_text = EXCLUDED.value_is_text, "timestamp" = EXCLUDED."timestamp";
  IF p_trim_to IS NOT NULL THEN
    DELETE FROM ${records} AS r
    USING (
      SELECT o.record_id FROM ${records} AS o
      WHERE o.timeline_id = p_timeline_id AND o.snapshot = 0
      ORDER BY o."timestamp" DESC, o.record_key DESC
      OFFSET p_trim_to
    ) AS old
    WHERE r.timeline_id = p_timeline_id AND r.snapshot = 0 AND r.record_id = old.record_id;
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
CREATE OR REPLACE FUNCTION ${addMany}(
  p_timeline_ids bytea[], p_timeline_keys bytea[], p_record_ids bytea[], p_record_keys bytea[],
  p_values bytea[], p_value_is_text smallint[],
  p_timestamps double precision[], p_nows double precision[],
  p_increment_delays double precision[], p_maximum_delays double precision[], p_trim_to integer[],
  p_due_ats double precision[], p_flush_thresholds integer[], p_touch boolean
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
DECLARE
  v_results boolean[] := array_fill(false, ARRAY[coalesce(cardinality(p_timeline_ids), 0)]);
  i integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM unnest(p_due_ats) AS d(v) WHERE d.v IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM unnest(p_flush_thresholds) AS f(v) WHERE f.v IS NOT NULL) THEN
    -- Plain backoff adds: the set-based body of 0005.
    RETURN ${addMany}(p_timeline_ids, p_timeline_keys, p_record_ids, p_record_keys, p_values,
      p_value_is_text, p_timestamps, p_nows, p_increment_delays, p_maximum_delays, p_trim_to);
  END IF;
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
END
$body$`;

  const createOpen = `
CREATE OR REPLACE FUNCTION ${open}(
  p_timeline_id bytea, p_token text, p_now double precision, p_expires_at double precision,
  p_touch boolean, p_capacity integer, p_limit integer
) RETURNS TABLE (
  o_kind smallint, o_record_key bytea, o_value bytea, o_value_is_text smallint, o_timestamp double precision
) LANGUAGE plpgsql AS $body$
DECLARE
  v_state text;
  v_token text;
  v_expires double precision;
  v_n integer := 0;
  v_more boolean := false;
  r record;
BEGIN
  SELECT t.state, t.lease_token, t.lease_expires_at INTO v_state, v_token, v_expires
  FROM ${timelines} AS t WHERE t.timeline_id = p_timeline_id FOR UPDATE;
  IF v_token IS NOT NULL AND v_expires > p_now THEN
    o_kind := 3; RETURN NEXT; RETURN;
  END IF;
  IF v_state IS DISTINCT FROM 'ready' THEN
    o_kind := 4; RETURN NEXT; RETURN;
  END IF;

  -- The whole timeline joins the snapshot (what was added since the last
  -- open, each record moved once). A record key in both keeps the newer, the
  -- timeline's on a tie; the merge is driven by the timeline.
  IF EXISTS (
    SELECT 1 FROM ${records} AS s WHERE s.timeline_id = p_timeline_id AND s.snapshot = 1
  ) THEN
    FOR r IN
      SELECT t.record_id, t."timestamp" FROM ${records} AS t
      WHERE t.timeline_id = p_timeline_id AND t.snapshot = 0
    LOOP
      DELETE FROM ${records} AS s
      WHERE s.timeline_id = p_timeline_id AND s.snapshot = 1 AND s.record_id = r.record_id
        AND s."timestamp" <= r."timestamp";
      IF NOT FOUND THEN
        DELETE FROM ${records} AS t
        WHERE t.timeline_id = p_timeline_id AND t.snapshot = 0 AND t.record_id = r.record_id
          AND EXISTS (
            SELECT 1 FROM ${records} AS s
            WHERE s.timeline_id = p_timeline_id AND s.snapshot = 1 AND s.record_id = r.record_id
          );
      END IF;
    END LOOP;
  END IF;
  UPDATE ${records} AS t SET snapshot = 1 WHERE t.timeline_id = p_timeline_id AND t.snapshot = 0;
  IF p_capacity IS NOT NULL THEN
    DELETE FROM ${records} AS x
    USING (
      SELECT o.record_id FROM ${records} AS o
      WHERE o.timeline_id = p_timeline_id AND o.snapshot = 1
      ORDER BY o."timestamp" DESC, o.record_key DESC
      OFFSET p_capacity
    ) AS old
    WHERE x.timeline_id = p_timeline_id AND x.snapshot = 1 AND x.record_id = old.record_id;
  END IF;

  -- The window: the snapshot's oldest (the timeline is empty now), in index
  -- order; one more tells whether any remain.
  FOR r IN
    SELECT x.record_key, x.value, x.value_is_text, x."timestamp"
    FROM ${records} AS x
    WHERE x.timeline_id = p_timeline_id
    ORDER BY x."timestamp", x.record_key
    LIMIT CASE WHEN p_limit IS NULL THEN NULL ELSE p_limit + 1 END
  LOOP
    IF p_limit IS NOT NULL AND v_n >= p_limit THEN
      v_more := true;
      EXIT;
    END IF;
    v_n := v_n + 1;
    o_kind := 0; o_record_key := r.record_key; o_value := r.value;
    o_value_is_text := r.value_is_text; o_timestamp := r."timestamp";
    RETURN NEXT;
  END LOOP;
  UPDATE ${timelines} AS t SET lease_token = p_token, lease_expires_at = p_expires_at,
    touched_at = CASE WHEN p_touch THEN p_now ELSE t.touched_at END
  WHERE t.timeline_id = p_timeline_id;
  o_kind := CASE WHEN v_more THEN 2 ELSE 1 END;
  o_record_key := NULL; o_value := NULL; o_value_is_text := NULL; o_timestamp := NULL;
  RETURN NEXT;
END
$body$`;

  const createCommit = `
CREATE OR REPLACE FUNCTION ${commit}(
  p_timeline_id bytea, p_token text, p_now double precision, p_minimum_delay double precision,
  p_touch boolean, p_mode smallint, p_up_to_ts double precision, p_up_to_key bytea
) RETURNS boolean LANGUAGE plpgsql AS $body$
DECLARE
  v_token text;
  v_removed integer := 0;
BEGIN
  SELECT t.lease_token INTO v_token FROM ${timelines} AS t
  WHERE t.timeline_id = p_timeline_id FOR UPDATE;
  IF NOT FOUND OR v_token IS DISTINCT FROM p_token THEN
    RETURN false;
  END IF;
  IF p_mode = 0 THEN
    DELETE FROM ${records} AS x WHERE x.timeline_id = p_timeline_id AND x.snapshot = 1;
    GET DIAGNOSTICS v_removed = ROW_COUNT;
  ELSIF p_mode = 1 THEN
    DELETE FROM ${records} AS x
    WHERE x.timeline_id = p_timeline_id AND x.snapshot = 1
      AND x."timestamp" <= p_up_to_ts AND (x."timestamp" < p_up_to_ts OR x.record_key <= p_up_to_key);
    GET DIAGNOSTICS v_removed = ROW_COUNT;
  END IF;
  IF EXISTS (
    SELECT 1 FROM ${records} AS x WHERE x.timeline_id = p_timeline_id AND x.snapshot = 1
  ) THEN
    -- A limited digest left records behind: the key stays ready, score kept.
    UPDATE ${timelines} AS t SET last_processed = p_now, lease_token = NULL, lease_expires_at = NULL,
      touched_at = CASE WHEN p_touch THEN p_now ELSE t.touched_at END
    WHERE t.timeline_id = p_timeline_id;
  ELSIF v_removed > 0 OR EXISTS (SELECT 1 FROM ${records} AS x WHERE x.timeline_id = p_timeline_id) THEN
    UPDATE ${timelines} AS t SET state = 'waiting', score = p_now + p_minimum_delay,
      last_processed = p_now, lease_token = NULL, lease_expires_at = NULL,
      touched_at = CASE WHEN p_touch THEN p_now ELSE t.touched_at END
    WHERE t.timeline_id = p_timeline_id;
  ELSE
    DELETE FROM ${timelines} AS t WHERE t.timeline_id = p_timeline_id;
  END IF;
  RETURN true;
END
$body$`;

  return {
    '0007_digest_functions': {
      async up(db) {
        await sql
          .raw(`CREATE INDEX IF NOT EXISTS ${oldest} ON ${records} (timeline_id, "timestamp")`)
          .execute(db);
        await sql.raw(`DROP INDEX IF EXISTS ${schema}${newest}`).execute(db);
        for (const statement of [createAdd, createAddMany, createOpen, createCommit]) {
          await sql.raw(statement).execute(db);
        }
      },
      async down(db) {
        await sql.raw(`DROP FUNCTION IF EXISTS ${commit}(${COMMIT_SIGNATURE})`).execute(db);
        await sql.raw(`DROP FUNCTION IF EXISTS ${open}(${OPEN_SIGNATURE})`).execute(db);
        await sql.raw(`DROP FUNCTION IF EXISTS ${addMany}(${ADD_MANY_SIGNATURE})`).execute(db);
        await sql.raw(`DROP FUNCTION IF EXISTS ${add}(${ADD_SIGNATURE})`).execute(db);
        await sql
          .raw(
            `CREATE INDEX IF NOT EXISTS ${newest} ON ${records} (timeline_id, snapshot, "timestamp")`,
          )
          .execute(db);
        await sql.raw(`DROP INDEX IF EXISTS ${schema}${oldest}`).execute(db);
      },
    },
  };
}
