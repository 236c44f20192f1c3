import type { TableNames } from '@digests/sql';
import { type Migration, sql } from 'kysely';
import { ADD_PARAMETERS, qualified, trimSide, upsertRecord } from './sql-fragments.js';

/** The name of the `add` function of a prefix, e.g. `digests_add`. */
export function addFunctionName(names: TableNames): string {
  return names.prefixed('add');
}

/**
 * The migration installing `<prefix>add(…)`: SPEC `add` as one PL/pgSQL
 * call, so an add is one statement and one round trip. It locks the
 * timeline row first (as every writer does), applies the schedule rules of
 * core's `nextSchedule`, upserts the record and trims the timeline. Only
 * validated, quoted identifiers are spliced in; every value is a parameter.
 *
 * @example
 * ```ts
 * const migrations = { ...sharedMigrations(names, types), ...addFunctionMigration(names) };
 * ```
 */
export function addFunctionMigration(names: TableNames): Record<string, Migration> {
  const fn = qualified(names, addFunctionName(names));
  const timelines = qualified(names, names.timelines);
  const records = qualified(names, names.records);
  const reschedule = `
    UPDATE ${timelines} AS t SET
      score = CASE
        WHEN t.state <> 'waiting' THEN t.score
        WHEN t.last_processed IS NULL THEN LEAST(t.score, p_timestamp)
        ELSE LEAST(t.score + p_increment_delay, t.last_processed + p_maximum_delay)
      END,
      touched_at = p_now
    WHERE t.timeline_id = p_timeline_id`;
  const create = `
CREATE OR REPLACE FUNCTION ${fn}(${ADD_PARAMETERS}
) RETURNS boolean LANGUAGE plpgsql AS $body$
DECLARE
  v_first boolean := false;
BEGIN
  ${reschedule};
  IF NOT FOUND THEN
    INSERT INTO ${timelines} (timeline_id, timeline_key, state, score, touched_at)
    VALUES (p_timeline_id, p_timeline_key, 'ready', p_timestamp, p_now)
    ON CONFLICT (timeline_id) DO NOTHING;
    IF FOUND THEN
      v_first := true;
    ELSE
      -- A concurrent add created the row first: it is ours to update now.
      ${reschedule};
    END IF;
  END IF;
  ${upsertRecord(records, '0')};
  IF p_trim_to IS NOT NULL THEN
    ${trimSide(records, '0', 'p_trim_to', 'r')};
  END IF;
  RETURN v_first;
END
$body$`;
  const drop = `DROP FUNCTION IF EXISTS ${fn}(bytea, bytea, bytea, bytea, bytea, smallint, double precision, double precision, double precision, double precision, integer)`;
  return {
    '0002_add_function': {
      up: async (db) => void (await sql.raw(create).execute(db)),
      down: async (db) => void (await sql.raw(drop).execute(db)),
    },
  };
}
