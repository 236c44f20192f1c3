/**
 * Prints adds/s and digests/s of the SQLite backend on a temporary file, and,
 * for comparison, the rate of a raw better-sqlite3 prepared INSERT (one
 * autocommit statement per record, same row shape) on another file in the
 * same journal mode (WAL, synchronous = NORMAL). Then adds/s through
 * `addMany` in batches of 100 (one transaction each) on a fresh file.
 * Run: node --conditions=source --import tsx packages/sqlite/scripts/measure.ts [records] [keys]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureThroughput } from '@digests/sql';
import Database from 'better-sqlite3';
import { SqliteBackend } from '../src/index.js';

const records = Number(process.argv[2] ?? 5000);
const keys = Number(process.argv[3] ?? 500);
const directory = mkdtempSync(join(tmpdir(), 'digests-measure-'));

/** Inserts `records` rows with a prepared statement, one autocommit each; resolves rows/s. */
function rawInsertsPerSecond(filename: string): number {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table raw (timeline_id blob, record_id blob, record_key blob, value blob,
    timestamp real, primary key (timeline_id, record_id))`);
  const insert = db.prepare('insert into raw values (?, ?, ?, ?, ?)');
  const id = (text: string) => createHash('sha256').update(text).digest();
  const started = performance.now();
  for (let i = 0; i < records; i++) {
    const value = Buffer.from(JSON.stringify({ i, text: 'something happened' }));
    insert.run(
      id(`measure:${i % keys}`),
      id(`event-${i}`),
      Buffer.from(`event-${i}`),
      value,
      Date.now(),
    );
  }
  const elapsed = performance.now() - started;
  db.close();
  return Math.round(records / (elapsed / 1000));
}

/** `addMany` in batches of `size` over `keys` timelines, one batch at a time; resolves adds/s. */
async function batchedAddsPerSecond(backend: SqliteBackend, size: number): Promise<number> {
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
    await backend.addMany(entries);
  }
  return Math.round(records / ((performance.now() - started) / 1000));
}

const backend = new SqliteBackend({ filename: join(directory, 'measure.db') });
const batched = new SqliteBackend({ filename: join(directory, 'batched.db') });
try {
  await batched.migrate();
  await backend.migrate();
  const result = await measureThroughput(backend, { records, keys, concurrency: 8 });
  const raw = rawInsertsPerSecond(join(directory, 'raw.db'));
  const many = await batchedAddsPerSecond(batched, 100);
  console.log(`sqlite (file, WAL, synchronous=NORMAL): ${records} records over ${keys} keys`);
  console.log(`  adds/s:    ${result.addsPerSecond}`);
  console.log(
    `  digests/s: ${result.digestsPerSecond} (${result.recordsDelivered} records delivered)`,
  );
  console.log(
    `  raw prepared INSERT/s: ${raw} (adds reach ${(result.addsPerSecond / raw).toFixed(2)}× of it)`,
  );
  console.log(`  addMany ×100 adds/s: ${many} (${(many / raw).toFixed(2)}× of raw)`);
} finally {
  await backend.close();
  await batched.close();
  rmSync(directory, { recursive: true, force: true });
}
