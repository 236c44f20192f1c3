/**
 * The raw store limit: the cheapest write a hand-rolled digest store could
 * do per record, through the same connection, with the same driver and
 * concurrency as our `add`.
 *
 * - Redis: `EVALSHA` of a minimal script (ZADD the record key into the
 *   timeline, SET its value) on the backend's own ioredis client.
 * - PostgreSQL: one `INSERT … ON CONFLICT DO UPDATE` through the backend's pool.
 * - SQLite: a better-sqlite3 prepared upsert on its own connection to a file
 *   in the backend's journal mode (WAL, `synchronous = NORMAL`), autocommit.
 *
 * @module
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drive, type Throughput } from '../measure.js';
import { type BenchStore, benchValue, deleteRedisKeys } from '../stores.js';

export interface RawConfig {
  readonly records: number;
  readonly timelines: number;
  readonly concurrency: number;
}

/** What the raw operation is, in words, for the report. */
export const RAW_DESCRIPTIONS = {
  redis: 'EVALSHA of ZADD + SET',
  postgres: 'single-statement INSERT … ON CONFLICT DO UPDATE',
  sqlite: 'prepared INSERT … ON CONFLICT DO UPDATE (WAL, autocommit)',
} as const;

const RAW_SCRIPT = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return 1`;

/**
 * Measures the raw limit of `store` (undefined for memory: there is no store
 * below the backend).
 *
 * @example
 * ```ts
 * const raw = await rawLimit(store, { records: 100_000, timelines: 100, concurrency: 8 });
 * ```
 */
export async function rawLimit(
  store: BenchStore,
  config: RawConfig,
): Promise<Throughput | undefined> {
  switch (store.name) {
    case 'redis':
      return rawRedis(store, config);
    case 'postgres':
      return rawPostgres(store, config);
    case 'sqlite':
      return rawSqlite(store, config);
    default:
      return undefined;
  }
}

async function rawRedis(store: BenchStore, { records, timelines, concurrency }: RawConfig) {
  const redis = store.redis!;
  const prefix = `{${store.namespace}-raw}`;
  const sha = (await redis.script('LOAD', RAW_SCRIPT)) as string;
  const op = (i: number) =>
    redis.evalsha(
      sha,
      2,
      `${prefix}:t:${i % timelines}`,
      `${prefix}:v:${i % timelines}:event-${i}`,
      String(Date.now()),
      `event-${i}`,
      JSON.stringify(benchValue(i)),
    );
  await drive(2000, concurrency, (i) => op(records + i));
  const result = await drive(records, concurrency, op, 'redis raw');
  await deleteRedisKeys(redis, `${prefix}:*`);
  return result;
}

async function rawPostgres(store: BenchStore, { records, timelines, concurrency }: RawConfig) {
  const pool = store.pool!;
  const table = `"${store.schema}".raw_records`;
  await pool.query(
    `CREATE TABLE ${table} (timeline_key bytea, record_key bytea, value bytea, "timestamp" double precision, PRIMARY KEY (timeline_key, record_key))`,
  );
  const text = `INSERT INTO ${table} VALUES ($1, $2, $3, $4)
    ON CONFLICT (timeline_key, record_key) DO UPDATE SET value = EXCLUDED.value, "timestamp" = EXCLUDED."timestamp"`;
  const op = (i: number) =>
    pool.query({
      name: 'raw-upsert',
      text,
      values: [
        Buffer.from(`sentry:project:${i % timelines}`),
        Buffer.from(`event-${i}`),
        Buffer.from(JSON.stringify(benchValue(i))),
        Date.now(),
      ],
    });
  await drive(2000, concurrency, (i) => op(records + i));
  const result = await drive(records, concurrency, op, 'postgres raw');
  await pool.query(`DROP TABLE ${table}`);
  return result;
}

async function rawSqlite(store: BenchStore, { records, timelines, concurrency }: RawConfig) {
  const file = `${store.sqliteFile!}.raw`;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE raw_records (timeline_key BLOB, record_key BLOB, value BLOB, "timestamp" REAL, PRIMARY KEY (timeline_key, record_key))',
  );
  const insert = db.prepare(`INSERT INTO raw_records VALUES (?, ?, ?, ?)
    ON CONFLICT (timeline_key, record_key) DO UPDATE SET value = excluded.value, "timestamp" = excluded."timestamp"`);
  const op = async (i: number) =>
    insert.run(
      Buffer.from(`sentry:project:${i % timelines}`),
      Buffer.from(`event-${i}`),
      Buffer.from(JSON.stringify(benchValue(i))),
      Date.now(),
    );
  await drive(2000, concurrency, (i) => op(records + i));
  const result = await drive(records, concurrency, op, 'sqlite raw');
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  return result;
}
