import type { ListEntry, ListRequest } from '@digests/core';
import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';
import { keyBytes, keyText } from '../stored-values.js';

/**
 * SPEC `list` as one statement: up to `limit` keys strictly after `after`,
 * in schedule order — score, then key by its UTF-8 bytes, which is
 * code-point order — each with its size (timeline plus snapshot).
 *
 * @example
 * ```ts
 * const entries = await listTimelines(db, { state: 'ready', limit: 101 });
 * ```
 */
export async function listTimelines(
  db: Kysely<DigestsDatabase>,
  request: ListRequest,
): Promise<ListEntry[]> {
  let query = db
    .selectFrom('timelines as t')
    .select(['t.timeline_key', 't.state', 't.score'])
    .select(({ selectFrom }) =>
      selectFrom('records as r')
        .select(({ fn }) => fn.countAll().as('n'))
        .whereRef('r.timeline_id', '=', 't.timeline_id')
        .as('size'),
    );
  if (request.state !== undefined) query = query.where('t.state', '=', request.state);
  const { after } = request;
  if (after !== undefined) {
    const key = keyBytes(after.key);
    query = query.where((eb) =>
      eb.or([
        eb('t.score', '>', after.score),
        eb.and([eb('t.score', '=', after.score), eb('t.timeline_key', '>', key)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('t.score')
    .orderBy('t.timeline_key')
    .limit(request.limit)
    .execute();
  return rows.map((row) => ({
    key: keyText(row.timeline_key),
    state: row.state,
    score: Number(row.score),
    size: Number(row.size ?? 0),
  }));
}
