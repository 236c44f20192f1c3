/**
 * Prints adds/s and digests/s of the SQLite backend on a temporary file, and,
 * for comparison, the rate of a raw better-sqlite3 prepared INSERT (one
 * autocommit statement per record, same row shape) on another file in the
 * same journal mode (WAL, synchronous = NORMAL).
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

const backend = new SqliteBackend({ filename: join(directory, 'measure.db') });
try {
  await backend.migrate();
  const result = await measureThroughput(backend, { records, keys, concurrency: 8 });
  const raw = rawInsertsPerSecond(join(directory, 'raw.db'));
  console.log(`sqlite (file, WAL, synchronous=NORMAL): ${records} records over ${keys} keys`);
  console.log(`  adds/s:    ${result.addsPerSecond}`);
  console.log(
    `  digests/s: ${result.digestsPerSecond} (${result.recordsDelivered} records delivered)`,
  );
  console.log(
    `  raw prepared INSERT/s: ${raw} (adds reach ${(result.addsPerSecond / raw).toFixed(2)}× of it)`,
  );
} finally {
  await backend.close();
  rmSync(directory, { recursive: true, force: true });
}
