import type { BackendStats } from '@digests/core';
import type { Kysely } from 'kysely';
import type { DigestsDatabase } from '../schema.js';

/**
 * Counts keys per state, records held (timelines plus snapshots) and the
 * lowest waiting score; two statements over the indexes.
 *
 * @example
 * ```ts
 * const { waiting, ready, records, oldestDue } = await backendStats(db);
 * ```
 */
export async function backendStats(db: Kysely<DigestsDatabase>): Promise<BackendStats> {
  const states = await db
    .selectFrom('timelines')
    .select(({ fn }) => ['state', fn.countAll().as('n'), fn.min('score').as('lowest')])
    .groupBy('state')
    .execute();
  const records = await db
    .selectFrom('records')
    .select(({ fn }) => fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const waiting = states.find((s) => s.state === 'waiting');
  const ready = states.find((s) => s.state === 'ready');
  return {
    waiting: Number(waiting?.n ?? 0),
    ready: Number(ready?.n ?? 0),
    records: Number(records.n),
    ...(waiting === undefined ? {} : { oldestDue: Number(waiting.lowest) }),
  };
}
