import type { TableNames } from '@digests/sql';
import { type Migration, sql } from 'kysely';
import { addFunctionName } from './add-function.js';
import { qualified } from './sql-fragments.js';

/** The name of the `addMany` function of a prefix, e.g. `digests_add_many`. */
export function addManyFunctionName(names: TableNames): string {
  return names.prefixed('add_many');
}

/**
 * The migration installing `<prefix>add_many(…)`: `addMany` as one PL/pgSQL
 * call per chunk. It takes one array per `<prefix>add` parameter and calls
 * `<prefix>add` once per element, so the per-entry logic has one definition.
 * Entries are applied in `(timeline_id, position)` order: every batch locks
 * its timeline rows in the same (byte) order, so concurrent batches never
 * deadlock on each other, and each timeline still sees its entries in batch
 * order (entries of different timelines are independent). The results come
 * back in the original positions.
 *
 * @example
 * ```ts
 * const migrations = { ...addFunctionMigration(names), ...addManyFunctionMigration(names) };
 * ```
 */
export function addManyFunctionMigration(names: TableNames): Record<string, Migration> {
  const fn = qualified(names, addManyFunctionName(names));
  const add = qualified(names, addFunctionName(names));
  const create = `
CREATE OR REPLACE FUNCTION ${fn}(
  p_timeline_ids bytea[], p_timeline_keys bytea[], p_record_ids bytea[], p_record_keys bytea[],
  p_values bytea[], p_value_is_text smallint[],
  p_timestamps double precision[], p_nows double precision[],
  p_increment_delays double precision[], p_maximum_delays double precision[], p_trim_to integer[]
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
DECLARE
  v_results boolean[] := array_fill(false, ARRAY[coalesce(cardinality(p_timeline_ids), 0)]);
  i integer;
BEGIN
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
  RETURN v_results;
END
$body$`;
  const drop = `DROP FUNCTION IF EXISTS ${fn}(bytea[], bytea[], bytea[], bytea[], bytea[], smallint[], double precision[], double precision[], double precision[], double precision[], integer[])`;
  return {
    '0004_add_many_function': {
      up: async (db) => void (await sql.raw(create).execute(db)),
      down: async (db) => void (await sql.raw(drop).execute(db)),
    },
  };
}
