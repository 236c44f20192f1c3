import type { TableNames } from '@digests/sql';
import {
  COMMIT_DIGEST_HEAD,
  deleteDelivered,
  mergeIntoSnapshot,
  OPEN_DIGEST_CLOSE,
  OPEN_DIGEST_HEAD,
  OPEN_DIGEST_REFUSALS,
  rescheduleAfterCommit,
} from './digest-fragments.js';
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
CREATE OR REPLACE FUNCTION ${open}${OPEN_DIGEST_HEAD}
  v_live smallint;
  v_snap smallint;
  v_n integer;
  v_more boolean := false;
  r record;
BEGIN
  SELECT t.state, t.lease_token, t.lease_expires_at, t.live INTO v_state, v_token, v_expires, v_live
  FROM ${timelines} AS t WHERE t.timeline_id = p_timeline_id FOR UPDATE;
  ${OPEN_DIGEST_REFUSALS}
  v_snap := 1 - v_live;

  IF EXISTS (
    SELECT 1 FROM ${records} AS s WHERE s.timeline_id = p_timeline_id AND s.snapshot = v_snap
  ) THEN
    -- A snapshot is left over: the timeline joins it (each record added since
    -- the last open moves once). A record key in both keeps the newer, the
    -- timeline's on a tie; the merge is driven by the timeline.
    ${mergeIntoSnapshot(records, 'v_live', 'v_snap')}
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
  ${OPEN_DIGEST_CLOSE}`;

  const createCommit = `
CREATE OR REPLACE FUNCTION ${commit}${COMMIT_DIGEST_HEAD}
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
  ${deleteDelivered(records, 'v_snap')}
  IF p_mode <> 0 AND EXISTS (
    SELECT 1 FROM ${records} AS x WHERE x.timeline_id = p_timeline_id AND x.snapshot = v_snap
  ) THEN
    ${rescheduleAfterCommit(timelines, records)}`;

  return [createOpen, createCommit];
}
