import { quoteIdentifier, type TableNames } from '@digests/sql';
import { type Migration, sql } from 'kysely';
import { addFunctionName } from './add-function.js';
import { addManyFunctionName } from './add-many-function.js';
import {
  COMMIT_DIGEST_HEAD,
  deleteDelivered,
  mergeIntoSnapshot,
  OPEN_DIGEST_CLOSE,
  OPEN_DIGEST_HEAD,
  OPEN_DIGEST_REFUSALS,
  rescheduleAfterCommit,
} from './digest-fragments.js';
import {
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

/** The name of the digest-opening function of a prefix, e.g. `digests_open_digest`. */
export function openFunctionName(names: TableNames): string {
  return names.prefixed('open_digest');
}

/** The name of the digest-committing function of a prefix, e.g. `digests_commit_digest`. */
export function commitFunctionName(names: TableNames): string {
  return names.prefixed('commit_digest');
}

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
CREATE OR REPLACE FUNCTION ${add}(${NEWER_ADD_HEAD}
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
    ${NEW_TIMELINE_SCHEDULE}
    INSERT INTO ${timelines} (timeline_id, timeline_key, state, score, touched_at)
    VALUES (p_timeline_id, p_timeline_key, v_new_state, v_new_score, p_now)
    ON CONFLICT (timeline_id) DO NOTHING;
    IF FOUND THEN
      ${indent(upsertRecord(records, '0', null), '    ')};
      RETURN v_first;
    END IF;
    -- A concurrent add created the row first: lock it and take the other path.
    v_first := false;
  END LOOP;

  ${upsertRecord(records, '0', null)};
  IF p_trim_to IS NOT NULL THEN
    ${trimSide(records, '0', 'p_trim_to', 'r')};
  END IF;

  ${rescheduleAfterAdd(timelines, records)}
END
$body$`;

  const createAddMany = `
CREATE OR REPLACE FUNCTION ${addMany}(${NEWER_ADD_MANY_HEAD}
  IF NOT EXISTS (SELECT 1 FROM unnest(p_due_ats) AS d(v) WHERE d.v IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM unnest(p_flush_thresholds) AS f(v) WHERE f.v IS NOT NULL) THEN
    -- Plain backoff adds: the set-based body of 0005.
    RETURN ${addMany}(p_timeline_ids, p_timeline_keys, p_record_ids, p_record_keys, p_values,
      p_value_is_text, p_timestamps, p_nows, p_increment_delays, p_maximum_delays, p_trim_to);
  END IF;
  ${perEntryAdds(add, true)}
  RETURN v_results;
END
$body$`;

  const createOpen = `
CREATE OR REPLACE FUNCTION ${open}${OPEN_DIGEST_HEAD}
  v_n integer := 0;
  v_more boolean := false;
  r record;
BEGIN
  SELECT t.state, t.lease_token, t.lease_expires_at INTO v_state, v_token, v_expires
  FROM ${timelines} AS t WHERE t.timeline_id = p_timeline_id FOR UPDATE;
  ${OPEN_DIGEST_REFUSALS}

  -- The whole timeline joins the snapshot (what was added since the last
  -- open, each record moved once). A record key in both keeps the newer, the
  -- timeline's on a tie; the merge is driven by the timeline.
  IF EXISTS (
    SELECT 1 FROM ${records} AS s WHERE s.timeline_id = p_timeline_id AND s.snapshot = 1
  ) THEN
    ${mergeIntoSnapshot(records, '0', '1')}
  END IF;
  UPDATE ${records} AS t SET snapshot = 1 WHERE t.timeline_id = p_timeline_id AND t.snapshot = 0;
  IF p_capacity IS NOT NULL THEN
    ${trimSide(records, '1', 'p_capacity', 'x')};
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
  ${OPEN_DIGEST_CLOSE}`;

  const createCommit = `
CREATE OR REPLACE FUNCTION ${commit}${COMMIT_DIGEST_HEAD}
DECLARE
  v_token text;
  v_removed integer := 0;
BEGIN
  SELECT t.lease_token INTO v_token FROM ${timelines} AS t
  WHERE t.timeline_id = p_timeline_id FOR UPDATE;
  IF NOT FOUND OR v_token IS DISTINCT FROM p_token THEN
    RETURN false;
  END IF;
  ${deleteDelivered(records, '1')}
  IF EXISTS (
    SELECT 1 FROM ${records} AS x WHERE x.timeline_id = p_timeline_id AND x.snapshot = 1
  ) THEN
    ${rescheduleAfterCommit(timelines, records)}`;

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
