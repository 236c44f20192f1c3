/**
 * Measures the MySQL store against its raw floors, on one pool:
 * - add (8 in flight) / one `INSERT … ON DUPLICATE KEY UPDATE` per record;
 * - addMany (100 per call) / one multi-row upsert per 100 records;
 * - one digest of 1000 records / one `DELETE … RETURNING` (MariaDB) of 1000
 *   rows, values decoded (medians of 20, interleaved).
 *
 *   node --conditions=source --import tsx packages/mysql/scripts/measure.ts [records] [keys]
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2';
import { type Mysql2Pool, MysqlBackend } from '../src/index.js';

const url = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const records = Number(process.argv[2] ?? 5_000);
const keys = Number(process.argv[3] ?? 50);
const inFlight = 8;
const pool = mysql.createPool({ uri: url, connectionLimit: 10 });
const promise = pool.promise();
const prefix = `measure_${randomBytes(3).toString('hex')}_`;
const value = (i: number) => ({ id: i, level: 'error', message: 'disk full on db-3' });

async function rate(count: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = next++; i < count; i = next++) await op(i);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const backend = new MysqlBackend({ pool: pool as unknown as Mysql2Pool, tablePrefix: prefix });
await backend.migrate();
const raw = `\`${prefix}raw\``;
await promise.query(`create table ${raw} (timeline_key varbinary(3072) not null,
  record_key varbinary(3072) not null, value longblob not null, timestamp double not null,
  primary key (timeline_key(255), record_key(255)))`);
const upsert = 'on duplicate key update value = values(value), timestamp = values(timestamp)';
const rawRow = (i: number, tag: string) => [
  Buffer.from(`sentry:project:${i % keys}`),
  Buffer.from(`${tag}-${i}`),
  Buffer.from(JSON.stringify(value(i))),
  Date.now(),
];
try {
  const ours = await rate(records, (i) =>
    backend.add(`sentry:project:${i % keys}`, {
      key: `a-${i}`,
      value: value(i),
      timestamp: Date.now(),
    }),
  );
  const floor = await rate(records, (i) =>
    promise.query(`insert into ${raw} values (?, ?, ?, ?) ${upsert}`, rawRow(i, 'a')),
  );
  const batches = Math.floor(records / 100);
  const oursMany =
    (await rate(batches, (b) =>
      backend.addMany(
        Array.from({ length: 100 }, (_, j) => ({
          key: `sentry:project:${(b * 100 + j) % keys}`,
          record: { key: `m-${b * 100 + j}`, value: value(j), timestamp: Date.now() },
        })),
      ),
    )) * 100;
  const floorMany =
    (await rate(batches, (b) =>
      promise.query(`insert into ${raw} values ? ${upsert}`, [
        Array.from({ length: 100 }, (_, j) => rawRow(b * 100 + j, 'm')),
      ]),
    )) * 100;

  const digestMs: number[] = [];
  const floorMs: number[] = [];
  for (let round = 0; round < 20; round++) {
    await backend.addMany(
      Array.from({ length: 1000 }, (_, j) => ({
        key: 'big',
        record: { key: `d-${j}`, value: value(j), timestamp: 1 + j },
      })),
    );
    const started = performance.now();
    await backend.digest('big', (rs) => rs.length);
    digestMs.push(performance.now() - started);
    await backend.delete('big');

    await promise.query(`insert into ${raw} values ?`, [
      Array.from({ length: 1000 }, (_, j) =>
        rawRow(j, `f${round}`).map((x, k) => (k === 0 ? Buffer.from('big') : x)),
      ),
    ]);
    const t = performance.now();
    const [rows] = await promise.query(
      `delete from ${raw} where timeline_key = ? returning record_key, value, timestamp`,
      [Buffer.from('big')],
    );
    for (const row of rows as { value: Buffer }[]) JSON.parse(row.value.toString('utf8'));
    floorMs.push(performance.now() - t);
  }
  const d = median(digestMs);
  const f = median(floorMs);
  console.log(
    `add      ${ours.toFixed(0)}/s  raw upsert ${floor.toFixed(0)}/s  = ${(ours / floor).toFixed(2)}×`,
  );
  console.log(
    `addMany  ${oursMany.toFixed(0)}/s  raw batch ${floorMany.toFixed(0)}/s  = ${(oursMany / floorMany).toFixed(2)}×`,
  );
  console.log(
    `digest of 1000  ${d.toFixed(2)} ms  floor ${f.toFixed(2)} ms  = ${(d / f).toFixed(2)}× the floor`,
  );
} finally {
  await backend.close();
  const { timelines, records: rs, quarantine, migrations, migrationsLock } = backend.tableNames;
  await promise.query(
    `drop table if exists ${[raw, ...[quarantine, rs, timelines, migrations, migrationsLock].map((t) => `\`${t}\``)].join(', ')}`,
  );
  await promise.end();
}
