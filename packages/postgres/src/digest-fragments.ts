/**
 * The SQL pieces every `open_digest` and `commit_digest` body shares (their
 * heads, refusals, merge, delete and reschedule), written once for every
 * migration that creates those functions; `sql-fragments.ts` holds the add
 * pieces.
 *
 * @module
 */

/**
 * The parameters and result of `<prefix>open_digest` (from
 * `0007_digest_functions`), from the opening parenthesis to the declarations
 * every body of it starts with.
 */
export const OPEN_DIGEST_HEAD = `(
  p_timeline_id bytea, p_token text, p_now double precision, p_expires_at double precision,
  p_touch boolean, p_capacity integer, p_limit integer
) RETURNS TABLE (
  o_kind smallint, o_record_key bytea, o_value bytea, o_value_is_text smallint, o_timestamp double precision
) LANGUAGE plpgsql AS $body$
DECLARE
  v_state text;
  v_token text;
  v_expires double precision;`;

/** The refusals of `open_digest`: a live lease (kind 3), a key not ready (kind 4). Written at a depth of 2. */
export const OPEN_DIGEST_REFUSALS = `IF v_token IS NOT NULL AND v_expires > p_now THEN
    o_kind := 3; RETURN NEXT; RETURN;
  END IF;
  IF v_state IS DISTINCT FROM 'ready' THEN
    o_kind := 4; RETURN NEXT; RETURN;
  END IF;`;

/**
 * The loop of `open_digest` merging the timeline's side `live` into the
 * snapshot's side `snap` (SQL expressions): a record key in both keeps the
 * newer, the timeline's on a tie. Written at a depth of 4.
 */
export function mergeIntoSnapshot(records: string, live: string, snap: string): string {
  return `FOR r IN
      SELECT t.record_id, t."timestamp" FROM ${records} AS t
      WHERE t.timeline_id = p_timeline_id AND t.snapshot = ${live}
    LOOP
      DELETE FROM ${records} AS s
      WHERE s.timeline_id = p_timeline_id AND s.snapshot = ${snap} AND s.record_id = r.record_id
        AND s."timestamp" <= r."timestamp";
      IF NOT FOUND THEN
        DELETE FROM ${records} AS t
        WHERE t.timeline_id = p_timeline_id AND t.snapshot = ${live} AND t.record_id = r.record_id
          AND EXISTS (
            SELECT 1 FROM ${records} AS s
            WHERE s.timeline_id = p_timeline_id AND s.snapshot = ${snap} AND s.record_id = r.record_id
          );
      END IF;
    END LOOP;`;
}

/** The closing row of `open_digest` (kind 2 when records remain past the window, else 1) and the end of its body. */
export const OPEN_DIGEST_CLOSE = `o_kind := CASE WHEN v_more THEN 2 ELSE 1 END;
  o_record_key := NULL; o_value := NULL; o_value_is_text := NULL; o_timestamp := NULL;
  RETURN NEXT;
END
$body$`;

/**
 * The parameters of `<prefix>commit_digest` (from `0007_digest_functions`),
 * from the opening parenthesis to `$body$`.
 */
export const COMMIT_DIGEST_HEAD = `(
  p_timeline_id bytea, p_token text, p_now double precision, p_minimum_delay double precision,
  p_touch boolean, p_mode smallint, p_up_to_ts double precision, p_up_to_key bytea
) RETURNS boolean LANGUAGE plpgsql AS $body$`;

/**
 * The deletion of the delivered records of `commit_digest` from the
 * snapshot's side `snap` (an SQL expression): all (`p_mode` 0) or up to the
 * window's last (timestamp, record key) (`p_mode` 1). Written at a depth of 2.
 */
export function deleteDelivered(records: string, snap: string): string {
  return `IF p_mode = 0 THEN
    DELETE FROM ${records} AS x WHERE x.timeline_id = p_timeline_id AND x.snapshot = ${snap};
    GET DIAGNOSTICS v_removed = ROW_COUNT;
  ELSIF p_mode = 1 THEN
    DELETE FROM ${records} AS x
    WHERE x.timeline_id = p_timeline_id AND x.snapshot = ${snap}
      AND x."timestamp" <= p_up_to_ts AND (x."timestamp" < p_up_to_ts OR x.record_key <= p_up_to_key);
    GET DIAGNOSTICS v_removed = ROW_COUNT;
  END IF;`;
}

/**
 * The end of `commit_digest` once its condition "records are left in the
 * snapshot" is written: the lease released and the key kept ready, else
 * rescheduled, else (empty) deleted. Written at a depth of 4.
 */
export function rescheduleAfterCommit(timelines: string, records: string): string {
  return `-- A limited digest left records behind: the key stays ready, score kept.
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
}
