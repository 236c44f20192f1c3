import type { TableNames } from '@digests/sql';
import { type Migration, sql } from 'kysely';
import { addFunctionName } from './add-function.js';
import {
  ADD_MANY_DECLARATIONS,
  ADD_MANY_PARAMETERS,
  perEntryAdds,
  qualified,
} from './sql-fragments.js';

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
CREATE OR REPLACE FUNCTION ${fn}(${ADD_MANY_PARAMETERS}
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
${ADD_MANY_DECLARATIONS}
  ${perEntryAdds(add, false)}
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
