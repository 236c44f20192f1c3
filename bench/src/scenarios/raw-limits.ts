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
 * - MySQL: one `INSERT … ON DUPLICATE KEY UPDATE` through the backend's pool.
 *
 * The batch form ({@link rawBatchLimit}, for the batch-ingest scenario) does
 * the same writes `batch` records per call: the same EVALSHA, `batch` of them
 * in one ioredis pipeline; one multi-row upsert statement (`INSERT … SELECT
 * FROM unnest(…)`, one array per column) through the same pool; the same
 * prepared upsert, `batch` runs inside one transaction.
 *
 * @module
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drive, driveBatches, type Throughput } from '../measure.js';
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
  mysql: 'single-statement INSERT … ON DUPLICATE KEY UPDATE',
} as const;

/** The batch forms, in words. */
export const RAW_BATCH_DESCRIPTIONS = {
  redis: 'the same EVALSHA, one pipeline per batch',
  postgres: 'one multi-row INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE per batch',
  sqlite: 'the same prepared upsert, one transaction per batch (WAL)',
  mysql: 'one multi-row INSERT … ON DUPLICATE KEY UPDATE per batch',
} as const;

export interface RawBatchConfig extends RawConfig {
  /** Records per call. */
  readonly batch: number;
}

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
    case 'mysql':
      return rawMysql(store, config);
    default:
      return undefined;
  }
}

/**
 * Measures the batch form of the raw limit of `store` (undefined for memory).
 * The throughput counts records.
 *
 * @example
 * ```ts
 * const raw = await rawBatchLimit(store, { records: 100_000, timelines: 100, concurrency: 8, batch: 100 });
 * ```
 */
export async function rawBatchLimit(
  store: BenchStore,
  config: RawBatchConfig,
): Promise<Throughput | undefined> {
  switch (store.name) {
    case 'redis':
      return rawRedisBatch(store, config);
    case 'postgres':
      return rawPostgresBatch(store, config);
    case 'sqlite':
      return rawSqliteBatch(store, config);
    case 'mysql':
      return rawMysqlBatch(store, config);
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

async function rawRedisBatch(
  store: BenchStore,
  { records, timelines, concurrency, batch }: RawBatchConfig,
) {
  const redis = store.redis!;
  const prefix = `{${store.namespace}-rawbatch}`;
  const sha = (await redis.script('LOAD', RAW_SCRIPT)) as string;
  const op = async (from: number, to: number) => {
    const pipeline = redis.pipeline();
    for (let i = from; i < to; i++) {
      pipeline.evalsha(
        sha,
        2,
        `${prefix}:t:${i % timelines}`,
        `${prefix}:v:${i % timelines}:event-${i}`,
        String(Date.now()),
        `event-${i}`,
        JSON.stringify(benchValue(i)),
      );
    }
    const replies = await pipeline.exec();
    for (const [error] of replies ?? []) if (error) throw error;
  };
  await driveBatches(2000, batch, concurrency, (from, to) => op(records + from, records + to));
  const result = await driveBatches(records, batch, concurrency, op, 'redis raw batch');
  await deleteRedisKeys(redis, `${prefix}:*`);
  return result;
}

async function rawPostgresBatch(
  store: BenchStore,
  { records, timelines, concurrency, batch }: RawBatchConfig,
) {
  const pool = store.pool!;
  const table = `"${store.schema}".raw_batch_records`;
  await pool.query(
    `CREATE TABLE ${table} (timeline_key bytea, record_key bytea, value bytea, "timestamp" double precision, PRIMARY KEY (timeline_key, record_key))`,
  );
  // One statement whatever the batch size (so it is prepared once); record
  // keys are unique within a batch, as ON CONFLICT DO UPDATE requires.
  const text = `INSERT INTO ${table}
    SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::float8[])
    ON CONFLICT (timeline_key, record_key) DO UPDATE SET value = EXCLUDED.value, "timestamp" = EXCLUDED."timestamp"`;
  const op = (from: number, to: number) => {
    const timelineKeys: Buffer[] = [];
    const recordKeys: Buffer[] = [];
    const values: Buffer[] = [];
    const timestamps: number[] = [];
    for (let i = from; i < to; i++) {
      timelineKeys.push(Buffer.from(`sentry:project:${i % timelines}`));
      recordKeys.push(Buffer.from(`event-${i}`));
      values.push(Buffer.from(JSON.stringify(benchValue(i))));
      timestamps.push(Date.now());
    }
    return pool.query({
      name: 'raw-batch-upsert',
      text,
      values: [timelineKeys, recordKeys, values, timestamps],
    });
  };
  await driveBatches(2000, batch, concurrency, (from, to) => op(records + from, records + to));
  const result = await driveBatches(records, batch, concurrency, op, 'postgres raw batch');
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  await pool.query(`DROP TABLE ${table}`);
  if (rows[0].n !== records + 2000) {
    throw new Error(`postgres raw batch stored ${rows[0].n} rows, expected ${records + 2000}`);
  }
  return result;
}

async function rawSqliteBatch(
  store: BenchStore,
  { records, timelines, concurrency, batch }: RawBatchConfig,
) {
  const file = `${store.sqliteFile!}.rawbatch`;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE raw_records (timeline_key BLOB, record_key BLOB, value BLOB, "timestamp" REAL, PRIMARY KEY (timeline_key, record_key))',
  );
  const insert = db.prepare(`INSERT INTO raw_records VALUES (?, ?, ?, ?)
    ON CONFLICT (timeline_key, record_key) DO UPDATE SET value = excluded.value, "timestamp" = excluded."timestamp"`);
  const inOneTransaction = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      insert.run(
        Buffer.from(`sentry:project:${i % timelines}`),
        Buffer.from(`event-${i}`),
        Buffer.from(JSON.stringify(benchValue(i))),
        Date.now(),
      );
    }
  });
  const op = async (from: number, to: number) => inOneTransaction(from, to);
  await driveBatches(2000, batch, concurrency, (from, to) => op(records + from, records + to));
  const result = await driveBatches(records, batch, concurrency, op, 'sqlite raw batch');
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  return result;
}

const MYSQL_RAW_TABLE = `(timeline_key varbinary(3072) not null, record_key varbinary(3072) not null,
  value longblob not null, timestamp double not null, primary key (timeline_key(255), record_key(255)))`;
const MYSQL_UPSERT = 'on duplicate key update value = values(value), timestamp = values(timestamp)';

async function rawMysql(store: BenchStore, { records, timelines, concurrency }: RawConfig) {
  const pool = store.mysqlPool!.promise();
  const table = `\`${store.tablePrefix}raw\``;
  await pool.query(`create table ${table} ${MYSQL_RAW_TABLE}`);
  const op = (i: number) =>
    pool.query(`insert into ${table} values (?, ?, ?, ?) ${MYSQL_UPSERT}`, [
      Buffer.from(`sentry:project:${i % timelines}`),
      Buffer.from(`event-${i}`),
      Buffer.from(JSON.stringify(benchValue(i))),
      Date.now(),
    ]);
  await drive(2000, concurrency, (i) => op(records + i));
  const result = await drive(records, concurrency, op, 'mysql raw');
  await pool.query(`drop table ${table}`);
  return result;
}

async function rawMysqlBatch(
  store: BenchStore,
  { records, timelines, concurrency, batch }: RawBatchConfig,
) {
  const pool = store.mysqlPool!.promise();
  const table = `\`${store.tablePrefix}raw_batch\``;
  await pool.query(`create table ${table} ${MYSQL_RAW_TABLE}`);
  const op = (from: number, to: number) => {
    const rows: unknown[][] = [];
    for (let i = from; i < to; i++) {
      rows.push([
        Buffer.from(`sentry:project:${i % timelines}`),
        Buffer.from(`event-${i}`),
        Buffer.from(JSON.stringify(benchValue(i))),
        Date.now(),
      ]);
    }
    return pool.query(`insert into ${table} values ? ${MYSQL_UPSERT}`, [rows]);
  };
  await driveBatches(2000, batch, concurrency, (from, to) => op(records + from, records + to));
  const result = await driveBatches(records, batch, concurrency, op, 'mysql raw batch');
  await pool.query(`drop table ${table}`);
  return result;
}
