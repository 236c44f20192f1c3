/**
 * The digest floors: the cheapest digest of one timeline a hand-rolled store
 * could do with the store's own client — read the timeline's records, decode
 * each value with the same codec (JSON), hand them over newest first, and
 * delete them, in one transaction or round trip.
 *
 * - SQLite: better-sqlite3 on a file of its own in the backend's settings
 *   (WAL, `synchronous = NORMAL`): `SELECT … ORDER BY timestamp DESC` and
 *   `DELETE` in one transaction, on a `WITHOUT ROWID` table clustered on
 *   `(timeline_id, record_key)`.
 * - PostgreSQL: one prepared `DELETE … WHERE timeline_id = $1 RETURNING …`
 *   through the backend's pool (sorted newest first in JS).
 * - MySQL/MariaDB: MariaDB's `DELETE … RETURNING` through the backend's pool
 *   (on MySQL, which lacks it: `SELECT … FOR UPDATE` + `DELETE` in one transaction).
 * - Redis: one pipeline of `ZREVRANGE … WITHSCORES` + `HGETALL` + `DEL` on
 *   the backend's client, over the layout the backend uses (a sorted set of
 *   record keys by timestamp and a hash of values per timeline).
 *
 * Each floor keeps its data apart from the backend's (its own table, file or
 * key prefix), so it never depends on a store's schema while that changes.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { JsonCodec } from '@digests/core';
import Database from 'better-sqlite3';
import { type BenchStore, type BenchValue, benchValue } from '../stores.js';

/** One store's digest floor, on timelines numbered 0, 1, 2, … */
export interface DigestFloor {
  /** What the floor does, in words, for the report. */
  readonly description: string;
  /** Writes `size` records into timeline `timeline` (not timed). */
  fill(timeline: number, size: number): Promise<void>;
  /** Reads, decodes and deletes timeline `timeline`; resolves how many records it handed over. */
  digest(timeline: number): Promise<number>;
  /** Records left in the floor's space (0 after every timeline was digested). */
  remaining(): Promise<number>;
  /** Removes the floor's table, file or keys. */
  close(): Promise<void>;
}

/** A decoded record, as a digest hands it over. */
interface FloorRecord {
  readonly key: string;
  readonly value: BenchValue;
  readonly timestamp: number;
}

const codec = new JsonCodec<BenchValue>();
const newestFirst = (a: FloorRecord, b: FloorRecord): number => b.timestamp - a.timestamp;

/** SHA-256 of the timeline's key, as the SQL stores identify timelines. */
function timelineId(timeline: number): Buffer {
  return createHash('sha256').update(`floor:${timeline}`).digest();
}

/** The records of one timeline: keys `event-0`…, values as the bench writes them. */
function floorRows(size: number): { key: string; value: string; timestamp: number }[] {
  return Array.from({ length: size }, (_, i) => ({
    key: `event-${i}`,
    value: codec.encode(benchValue(i)) as string,
    timestamp: 1_000_000 + i,
  }));
}

/**
 * Opens the digest floor of `store`; undefined for memory (no store below the backend).
 *
 * @example
 * ```ts
 * const floor = await openDigestFloor(store);
 * await floor?.fill(0, 1000);
 * await floor?.digest(0); // 1000
 * ```
 */
export async function openDigestFloor(store: BenchStore): Promise<DigestFloor | undefined> {
  switch (store.name) {
    case 'sqlite':
      return sqliteFloor(store);
    case 'postgres':
      return postgresFloor(store);
    case 'mysql':
      return mysqlFloor(store);
    case 'redis':
      return redisFloor(store);
    default:
      return undefined;
  }
}

function sqliteFloor(store: BenchStore): DigestFloor {
  const file = `${store.sqliteFile!}.floor`;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE floor_records (timeline_id BLOB NOT NULL, record_key BLOB NOT NULL,
    value BLOB NOT NULL, "timestamp" REAL NOT NULL, PRIMARY KEY (timeline_id, record_key)) WITHOUT ROWID`);
  const insert = db.prepare('INSERT INTO floor_records VALUES (?, ?, ?, ?)');
  const select = db.prepare(
    'SELECT record_key, value, "timestamp" FROM floor_records WHERE timeline_id = ? ORDER BY "timestamp" DESC',
  );
  const remove = db.prepare('DELETE FROM floor_records WHERE timeline_id = ?');
  const fill = db.transaction((id: Buffer, size: number) => {
    for (const row of floorRows(size)) {
      insert.run(id, Buffer.from(row.key), Buffer.from(row.value), row.timestamp);
    }
  });
  const digest = db.transaction((id: Buffer): FloorRecord[] => {
    const rows = select.all(id) as { record_key: Buffer; value: Buffer; timestamp: number }[];
    const records = rows.map((row) => ({
      key: row.record_key.toString('utf8'),
      value: codec.decode(row.value),
      timestamp: row.timestamp,
    }));
    remove.run(id);
    return records;
  });
  return {
    description:
      'better-sqlite3: SELECT … ORDER BY timestamp DESC + DELETE in one transaction (WAL, synchronous NORMAL), values decoded',
    fill: async (timeline, size) => fill(timelineId(timeline), size),
    digest: async (timeline) => digest(timelineId(timeline)).length,
    remaining: async () =>
      (db.prepare('SELECT count(*) AS n FROM floor_records').get() as { n: number }).n,
    close: async () => {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

async function postgresFloor(store: BenchStore): Promise<DigestFloor> {
  const pool = store.pool!;
  const table = `"${store.schema}".floor_records`;
  await pool.query(`CREATE TABLE ${table} (timeline_id bytea NOT NULL, record_key bytea NOT NULL,
    value bytea NOT NULL, "timestamp" double precision NOT NULL, PRIMARY KEY (timeline_id, record_key))`);
  return {
    description:
      'one prepared DELETE … WHERE timeline_id = $1 RETURNING key, value, timestamp through the same pool, values decoded',
    fill: async (timeline, size) => {
      const rows = floorRows(size);
      await pool.query(
        `INSERT INTO ${table} SELECT $1::bytea, * FROM unnest($2::bytea[], $3::bytea[], $4::float8[])`,
        [
          timelineId(timeline),
          rows.map((r) => Buffer.from(r.key)),
          rows.map((r) => Buffer.from(r.value)),
          rows.map((r) => r.timestamp),
        ],
      );
    },
    digest: async (timeline) => {
      const { rows } = await pool.query<{ record_key: Buffer; value: Buffer; timestamp: number }>({
        name: `floor-digest-${store.schema}`,
        text: `DELETE FROM ${table} WHERE timeline_id = $1 RETURNING record_key, value, "timestamp"`,
        values: [timelineId(timeline)],
      });
      return decodeRows(rows).length;
    },
    remaining: async () =>
      (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n,
    close: async () => {
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}

async function mysqlFloor(store: BenchStore): Promise<DigestFloor> {
  const pool = store.mysqlPool!.promise();
  const table = `\`${store.tablePrefix}floor\``;
  await pool.query(`create table ${table} (timeline_id binary(32) not null,
    record_key varbinary(255) not null, value longblob not null, timestamp double not null,
    primary key (timeline_id, record_key))`);
  const [[version]] = (await pool.query('select version() as v')) as unknown as [[{ v: string }]];
  const returning = version.v.includes('MariaDB');
  type Row = { record_key: Buffer; value: Buffer; timestamp: number };
  const digestRows = async (id: Buffer): Promise<Row[]> => {
    if (returning) {
      const [rows] = await pool.query(
        `delete from ${table} where timeline_id = ? returning record_key, value, timestamp`,
        [id],
      );
      return rows as Row[];
    }
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      const [rows] = await connection.query(
        `select record_key, value, timestamp from ${table} where timeline_id = ? for update`,
        [id],
      );
      await connection.query(`delete from ${table} where timeline_id = ?`, [id]);
      await connection.commit();
      return rows as Row[];
    } finally {
      connection.release();
    }
  };
  return {
    description: returning
      ? "one DELETE … WHERE timeline_id = ? RETURNING key, value, timestamp (MariaDB's) through the same pool, values decoded"
      : 'SELECT … FOR UPDATE + DELETE in one transaction through the same pool, values decoded',
    fill: async (timeline, size) => {
      const id = timelineId(timeline);
      const rows = floorRows(size).map((r) => [id, Buffer.from(r.key), r.value, r.timestamp]);
      await pool.query(`insert into ${table} values ?`, [rows]);
    },
    digest: async (timeline) => decodeRows(await digestRows(timelineId(timeline))).length,
    remaining: async () => {
      const [[row]] = (await pool.query(`select count(*) as n from ${table}`)) as unknown as [
        [{ n: number }],
      ];
      return Number(row.n);
    },
    close: async () => {
      await pool.query(`drop table if exists ${table}`);
    },
  };
}

async function redisFloor(store: BenchStore): Promise<DigestFloor> {
  const redis = store.redis!;
  const prefix = `{${store.namespace}-floor}`;
  const keys = (timeline: number) => [`${prefix}:t:${timeline}`, `${prefix}:v:${timeline}`];
  return {
    description:
      'one ioredis pipeline of ZREVRANGE … WITHSCORES + HGETALL + DEL on the same client (a sorted set of record keys and a hash of values, as the backend stores a timeline), values decoded',
    fill: async (timeline, size) => {
      const [zset, hash] = keys(timeline);
      const rows = floorRows(size);
      const pipeline = redis.pipeline();
      pipeline.zadd(zset!, ...rows.flatMap((r) => [r.timestamp, r.key]));
      pipeline.hset(hash!, Object.fromEntries(rows.map((r) => [r.key, r.value])));
      await pipeline.exec();
    },
    digest: async (timeline) => {
      const [zset, hash] = keys(timeline);
      const replies = await redis
        .pipeline()
        .zrevrange(zset!, 0, -1, 'WITHSCORES')
        .hgetall(hash!)
        .del(zset!, hash!)
        .exec();
      for (const [error] of replies ?? []) if (error) throw error;
      const members = replies![0]![1] as string[];
      const values = replies![1]![1] as Record<string, string>;
      const records: FloorRecord[] = [];
      for (let i = 0; i < members.length; i += 2) {
        const key = members[i]!;
        records.push({ key, value: codec.decode(values[key]!), timestamp: Number(members[i + 1]) });
      }
      return records.length;
    },
    remaining: async () => {
      let n = 0;
      for await (const found of redis.scanStream({ match: `${prefix}:t:*`, count: 1000 })) {
        for (const key of found as string[]) n += await redis.zcard(key);
      }
      return n;
    },
    close: async () => {
      for await (const found of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
        if ((found as string[]).length > 0) await redis.unlink(...(found as string[]));
      }
    },
  };
}

/** SQL rows → decoded records, newest first. */
function decodeRows(
  rows: readonly { record_key: Buffer; value: Buffer; timestamp: number }[],
): FloorRecord[] {
  return rows
    .map((row) => ({
      key: row.record_key.toString('utf8'),
      value: codec.decode(row.value),
      timestamp: Number(row.timestamp),
    }))
    .sort(newestFirst);
}
