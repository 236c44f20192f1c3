import type { TableNames } from '@digests/sql';
import { commitFunctionName, openFunctionName } from './digest-functions.js';
import { qualified, trimSide } from './sql-fragments.js';

/**
 * The `CREATE OR REPLACE FUNCTION` statements of the digest functions of
 * migration `0008_live_snapshot`. A timeline's records sit in its live side
 * (`records.snapshot = timelines.live`); the snapshot is the other side.
 * - `open_digest(…)`: when no snapshot is left over (the usual case), the
 *   timeline *becomes* the snapshot by flipping `live` on the timeline row —
 *   no record is written; otherwise the timeline is merged into the left-over
 *   snapshot as before (only the records added since are moved). Then the
 *   capacity trim, the lease, and the window of the snapshot's oldest
 *   `limit` records (one `RETURN QUERY`);
 * - `commit_digest(…)`: deletes the delivered side's records (all, or up to
 *   the window's last (timestamp, record key)) and reschedules.
 *
 * @example
 * ```ts
 * for (const statement of liveDigestFunctions(names)) await sql.raw(statement).execute(db);
 * ```
 */
export function liveDigestFunctions(names: TableNames): string[] {
  const open = qualified(names, openFunctionName(names));
  const commit = qualified(names, commitFunctionName(names));
  const timelines = qualified(names, names.timelines);
  const records = qualified(names, names.records);

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
  v_live smallint;
  v_snap smallint;
  v_n integer;
  v_more boolean := false;
  r record;
BEGIN
  SELECT t.state, t.lease_token, t.lease_expires_at, t.live INTO v_state, v_token, v_expires, v_live
  FROM ${timelines} AS t WHERE t.timeline_id = p_timeline_id FOR UPDATE;
  IF v_token IS NOT NULL AND v_expires > p_now THEN
    o_kind := 3; RETURN NEXT; RETURN;
  END IF;
  IF v_state IS DISTINCT FROM 'ready' THEN
    o_kind := 4; RETURN NEXT; RETURN;
  END IF;
  v_snap := 1 - v_live;

  IF EXISTS (
    SELECT 1 FROM ${records} AS s WHERE s.timeline_id = p_timeline_id AND s.snapshot = v_snap
  ) THEN
    -- A snapshot is left over: the timeline joins it (each record added since
    -- the last open moves once). A record key in both keeps the newer, the
    -- timeline's on a tie; the merge is driven by the timeline.
    FOR r IN
      SELECT t.record_id, t."timestamp" FROM ${records} AS t
      WHERE t.timeline_id = p_timeline_id AND t.snapshot = v_live
    LOOP
      DELETE FROM ${records} AS s
      WHERE s.timeline_id = p_timeline_id AND s.snapshot = v_snap AND s.record_id = r.record_id
        AND s."timestamp" <= r."timestamp";
      IF NOT FOUND THEN
        DELETE FROM ${records} AS t
        WHERE t.timeline_id = p_timeline_id AND t.snapshot = v_live AND t.record_id = r.record_id
          AND EXISTS (
            SELECT 1 FROM ${records} AS s
            WHERE s.timeline_id = p_timeline_id AND s.snapshot = v_snap AND s.record_id = r.record_id
          );
      END IF;
    END LOOP;
    UPDATE ${records} AS t SET snapshot = v_snap WHERE t.timeline_id = p_timeline_id AND t.snapshot = v_live;
  ELSE
    -- No snapshot: the timeline becomes the snapshot, and the empty side the timeline.
    v_snap := v_live;
    v_live := 1 - v_live;
  END IF;
  IF p_capacity IS NOT NULL THEN
    ${trimSide(records, 'v_snap', 'p_capacity')};
  END IF;
  UPDATE ${timelines} AS t SET live = v_live, lease_token = p_token, lease_expires_at = p_expires_at,
    touched_at = CASE WHEN p_touch THEN p_now ELSE t.touched_at END
  WHERE t.timeline_id = p_timeline_id;

  -- The window: the snapshot's oldest (the timeline is empty now), in index order.
  RETURN QUERY
    SELECT 0::smallint, x.record_key, x.value, x.value_is_text, x."timestamp"
    FROM ${records} AS x
    WHERE x.timeline_id = p_timeline_id
    ORDER BY x."timestamp", x.record_key
    LIMIT p_limit;
  IF p_limit IS NOT NULL THEN
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_more := v_n >= p_limit AND EXISTS (
      SELECT 1 FROM ${records} AS x WHERE x.timeline_id = p_timeline_id
      ORDER BY x."timestamp", x.record_key OFFSET p_limit
    );
  END IF;
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
  v_snap smallint;
  v_removed integer := 0;
BEGIN
  SELECT t.lease_token, 1 - t.live INTO v_token, v_snap FROM ${timelines} AS t
  WHERE t.timeline_id = p_timeline_id FOR UPDATE;
  IF NOT FOUND OR v_token IS DISTINCT FROM p_token THEN
    RETURN false;
  END IF;
  IF p_mode = 0 THEN
    DELETE FROM ${records} AS x WHERE x.timeline_id = p_timeline_id AND x.snapshot = v_snap;
    GET DIAGNOSTICS v_removed = ROW_COUNT;
  ELSIF p_mode = 1 THEN
    DELETE FROM ${records} AS x
    WHERE x.timeline_id = p_timeline_id AND x.snapshot = v_snap
      AND x."timestamp" <= p_up_to_ts AND (x."timestamp" < p_up_to_ts OR x.record_key <= p_up_to_key);
    GET DIAGNOSTICS v_removed = ROW_COUNT;
  END IF;
  IF p_mode <> 0 AND EXISTS (
    SELECT 1 FROM ${records} AS x WHERE x.timeline_id = p_timeline_id AND x.snapshot = v_snap
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

  return [createOpen, createCommit];
}
