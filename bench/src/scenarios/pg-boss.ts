/**
 * The PostgreSQL peer: pg-boss 10 (runs on Node 20) with `singletonKey` =
 * timeline key on a `short`-policy queue — at most one queued job per key,
 * later jobs for the key are dropped — delayed by the increment delay. It
 * runs through the backend's own pg pool (pg-boss's `db.executeSql`), in a
 * schema of its own.
 *
 * Single form: `send` per record. Batch form: `insert([...])` of `batch`
 * jobs (one `INSERT … SELECT FROM json_to_recordset(…) ON CONFLICT DO
 * NOTHING`), which pg-boss 10 has.
 *
 * @module
 */

import type pg from 'pg';
import PgBoss from 'pg-boss';
import { drive, driveBatches, type Throughput } from '../measure.js';
import { benchValue, runId } from '../stores.js';
import type { PeerBatchConfig, PeerConfig } from './peers.js';

export const PGBOSS_DESCRIPTION =
  'pg-boss 10 send, singletonKey = timeline key, policy short, startAfter 30 s';
export const PGBOSS_BATCH_DESCRIPTION =
  'pg-boss 10 insert([…]) (one statement per batch), singletonKey = timeline key, policy short, startAfter 30 s';

const QUEUE = 'digests';

/** Runs `fn` on a pg-boss in a schema of its own over `pool`, then drops the schema. */
async function withBoss<T>(pool: pg.Pool, fn: (boss: PgBoss) => Promise<T>): Promise<T> {
  const schema = `bench_pgboss_${runId()}`;
  const boss = new PgBoss({
    schema,
    db: { executeSql: (text, values) => pool.query(text, values) },
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => undefined);
  try {
    await boss.start();
    await boss.createQueue(QUEUE, { name: QUEUE, policy: 'short' });
    return await fn(boss);
  } finally {
    await boss.stop({ graceful: false, close: false }).catch(() => undefined);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

const data = (i: number, timelines: number) => ({
  key: `sentry:project:${i % timelines}`,
  record: `event-${i}`,
  value: benchValue(i),
});

/**
 * Sends `records` jobs over `timelines` singleton keys, `concurrency` in flight.
 *
 * @example
 * ```ts
 * const peer = await pgBossSend(pool, { records: 100_000, timelines: 100, concurrency: 8 });
 * ```
 */
export function pgBossSend(
  pool: pg.Pool,
  { records, timelines, concurrency }: PeerConfig,
): Promise<Throughput> {
  return withBoss(pool, async (boss) => {
    const op = (i: number) =>
      boss.send(QUEUE, data(i, timelines), {
        singletonKey: `sentry:project:${i % timelines}`,
        startAfter: 30,
      });
    await drive(2000, concurrency, (i) => op(records + i));
    return drive(records, concurrency, op, 'pg-boss send');
  });
}

/**
 * Inserts `records` jobs `batch` per `insert`, `concurrency` calls in flight;
 * the throughput counts jobs.
 *
 * @example
 * ```ts
 * const peer = await pgBossInsert(pool, { records: 100_000, timelines: 100, concurrency: 8, batch: 100 });
 * ```
 */
export function pgBossInsert(
  pool: pg.Pool,
  { records, timelines, concurrency, batch }: PeerBatchConfig,
): Promise<Throughput> {
  return withBoss(pool, async (boss) => {
    const op = (from: number, to: number) => {
      const jobs: PgBoss.JobInsert[] = [];
      for (let i = from; i < to; i++) {
        jobs.push({
          name: QUEUE,
          data: data(i, timelines),
          singletonKey: `sentry:project:${i % timelines}`,
          // Not ending in Z: pg-boss reads it as an interval, like send's startAfter: 30.
          startAfter: '30 seconds',
        });
      }
      return boss.insert(jobs);
    };
    await driveBatches(2000, batch, concurrency, (from, to) => op(records + from, records + to));
    return driveBatches(records, batch, concurrency, op, 'pg-boss insert');
  });
}
