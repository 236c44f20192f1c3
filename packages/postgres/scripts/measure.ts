/**
 * Prints adds/s and digests/s of the PostgreSQL backend in a temporary schema.
 * Run: node --conditions=source --import tsx packages/postgres/scripts/measure.ts [records] [keys]
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes } from 'node:crypto';
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
try {
  await backend.migrate();
  const result = await measureThroughput(backend, { records, keys, concurrency: 8 });
  console.log(`postgres (${new URL(url).host}, pool of 8): ${records} records over ${keys} keys`);
  console.log(`  adds/s:    ${result.addsPerSecond}`);
  console.log(
    `  digests/s: ${result.digestsPerSecond} (${result.recordsDelivered} records delivered)`,
  );
} finally {
  await backend.close();
  await pool.query(`drop schema if exists "${schema}" cascade`);
  await pool.end();
}
