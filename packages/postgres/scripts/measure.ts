/**
 * Prints adds/s and digests/s of the PostgreSQL backend in a temporary schema,
 * and, for comparison, the rate of a raw single-statement upsert of the same
 * row shape through the same pool at the same concurrency, and adds/s through
 * `addMany` in batches of 100, one batch at a time.
 * Run: node --conditions=source --import tsx packages/postgres/scripts/measure.ts [records] [keys]
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { createHash, randomBytes } from 'node:crypto';
import { measureThroughput } from '@digests/sql';
import pg from 'pg';
import { PostgresBackend } from '../src/index.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const records = Number(process.argv[2] ?? 5000);
const keys = Number(process.argv[3] ?? 500);
const schema = `digests_measure_${randomBytes(4).toString('hex')}`;
const pool = new pg.Pool({ connectionString: url, max: 8 });
pool.on('error', () => undefined);
const backend = new PostgresBackend({ pool, schema });

/** `records` upserts of one row each (8 in flight), one statement per round trip; resolves rows/s. */
async function rawUpsertsPerSecond(): Promise<number> {
  const table = `"${schema}"."raw"`;
  await pool.query(`create table ${table} (timeline_id bytea, record_id bytea, record_key bytea,
    value bytea, "timestamp" float8, primary key (timeline_id, record_id))`);
  const id = (text: string) => createHash('sha256').update(text).digest();
  const upsert = `insert into ${table} values ($1, $2, $3, $4, $5) on conflict (timeline_id, record_id)
    do update set value = excluded.value, "timestamp" = excluded."timestamp"`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < records) {
        const i = next++;
        const value = Buffer.from(JSON.stringify({ i, text: 'something happened' }));
        await pool.query(upsert, [
          id(`measure:${i % keys}`),
          id(`event-${i}`),
          Buffer.from(`event-${i}`),
          value,
          Date.now(),
        ]);
      }
    }),
  );
  return Math.round(records / ((performance.now() - started) / 1000));
}

/** `addMany` in batches of `size`, one at a time, on a fresh prefix; resolves adds/s. */
async function batchedAddsPerSecond(size: number): Promise<number> {
  const batched = new PostgresBackend({ pool, schema, tablePrefix: 'batched_' });
  await batched.migrate();
  const started = performance.now();
  for (let from = 0; from < records; from += size) {
    const entries = [];
    for (let i = from; i < Math.min(records, from + size); i++) {
      entries.push({
        key: `measure:${i % keys}`,
        record: {
          key: `event-${i}`,
          value: { i, text: 'something happened' },
          timestamp: Date.now(),
        },
      });
    }
    await batched.addMany(entries);
  }
  const rate = Math.round(records / ((performance.now() - started) / 1000));
  await batched.close();
  return rate;
}

try {
  await backend.migrate();
  const result = await measureThroughput(backend, { records, keys, concurrency: 8 });
  const raw = await rawUpsertsPerSecond();
  const many = await batchedAddsPerSecond(100);
  console.log(`postgres (${new URL(url).host}, pool of 8): ${records} records over ${keys} keys`);
  console.log(`  adds/s:    ${result.addsPerSecond}`);
  console.log(
    `  digests/s: ${result.digestsPerSecond} (${result.recordsDelivered} records delivered)`,
  );
  console.log(
    `  raw upsert/s: ${raw} (adds reach ${(result.addsPerSecond / raw).toFixed(2)}× of it)`,
  );
  console.log(`  addMany ×100 adds/s: ${many} (${(many / raw).toFixed(2)}× of raw)`);
} finally {
  await backend.close();
  await pool.query(`drop schema if exists "${schema}" cascade`);
  await pool.end();
}
