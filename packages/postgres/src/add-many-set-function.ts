import type { TableNames } from '@digests/sql';
import { type Migration, sql } from 'kysely';
import { addFunctionName } from './add-function.js';
import { addManyFunctionName } from './add-many-function.js';
import {
  ADD_MANY_DECLARATIONS,
  ADD_MANY_PARAMETERS,
  BATCH_ENTRIES,
  batchRecordUpserts,
  batchResultsAndReschedule,
  perEntryAdds,
  qualified,
} from './sql-fragments.js';

/** The per-entry loop of `0004_add_many_function`: every entry one `<prefix>add` call. */
function loopBody(add: string): string {
  return `
  ${perEntryAdds(add, false)}
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
CREATE OR REPLACE FUNCTION ${fn}(${ADD_MANY_PARAMETERS}
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
${ADD_MANY_DECLARATIONS}
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
  ${BATCH_ENTRIES}
    INSERT INTO ${timelines} AS t (timeline_id, timeline_key, state, score, touched_at)
    SELECT f.timeline_id, f.timeline_key, 'ready', f.ts, l.nw
    FROM firsts AS f JOIN lasts AS l ON l.timeline_id = f.timeline_id
    ORDER BY f.timeline_id
    ON CONFLICT (timeline_id) DO UPDATE SET touched_at = EXCLUDED.touched_at
    RETURNING t.timeline_id, (t.xmax = 0) AS created
  )
  ${batchResultsAndReschedule(timelines)}

  -- Records: the last entry of a (timeline, record key) wins.
  ${batchRecordUpserts(records, '0')}`;
  const restore = `
CREATE OR REPLACE FUNCTION ${fn}(${ADD_MANY_PARAMETERS}
) RETURNS boolean[] LANGUAGE plpgsql AS $body$
${ADD_MANY_DECLARATIONS}
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
