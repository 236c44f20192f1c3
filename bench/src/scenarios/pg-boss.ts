/**
 * The PostgreSQL peer: pg-boss 10 (runs on Node 20) `send` with
 * `singletonKey` = timeline key on a `short`-policy queue — at most one
 * queued job per key, later sends for the key are dropped — delayed by the
 * increment delay. It runs through the backend's own pg pool (pg-boss's
 * `db.executeSql`), in a schema of its own.
 *
 * @module
 */

import type pg from 'pg';
import PgBoss from 'pg-boss';
import { drive, type Throughput } from '../measure.js';
import { benchValue, runId } from '../stores.js';
import type { PeerConfig } from './peers.js';

export const PGBOSS_DESCRIPTION =
  'pg-boss 10 send, singletonKey = timeline key, policy short, startAfter 30 s';

/**
 * Sends `records` jobs over `timelines` singleton keys, `concurrency` in flight.
 *
 * @example
 * ```ts
 * const peer = await pgBossSend(pool, { records: 100_000, timelines: 100, concurrency: 8 });
 * ```
 */
export async function pgBossSend(
  pool: pg.Pool,
  { records, timelines, concurrency }: PeerConfig,
): Promise<Throughput> {
  const schema = `bench_pgboss_${runId()}`;
  const boss = new PgBoss({
    schema,
    db: { executeSql: (text, values) => pool.query(text, values) },
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => undefined);
  const op = (i: number) =>
    boss.send(
      'digests',
      { key: `sentry:project:${i % timelines}`, record: `event-${i}`, value: benchValue(i) },
      { singletonKey: `sentry:project:${i % timelines}`, startAfter: 30 },
    );
  try {
    await boss.start();
    await boss.createQueue('digests', { name: 'digests', policy: 'short' });
    await drive(2000, concurrency, (i) => op(records + i));
    return await drive(records, concurrency, op, 'pg-boss send');
  } finally {
    await boss.stop({ graceful: false, close: false }).catch(() => undefined);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}
