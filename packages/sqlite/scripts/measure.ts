/**
 * Prints adds/s and digests/s of the SQLite backend on a temporary file.
 * Run: node --conditions=source --import tsx packages/sqlite/scripts/measure.ts [records] [keys]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureThroughput } from '@digests/sql';
import { SqliteBackend } from '../src/index.js';

const records = Number(process.argv[2] ?? 5000);
const keys = Number(process.argv[3] ?? 500);
const directory = mkdtempSync(join(tmpdir(), 'digests-measure-'));
const backend = new SqliteBackend({ filename: join(directory, 'measure.db') });
try {
  await backend.migrate();
  const result = await measureThroughput(backend, { records, keys, concurrency: 8 });
  console.log(`sqlite (file, WAL, synchronous=NORMAL): ${records} records over ${keys} keys`);
  console.log(`  adds/s:    ${result.addsPerSecond}`);
  console.log(
    `  digests/s: ${result.digestsPerSecond} (${result.recordsDelivered} records delivered)`,
  );
} finally {
  await backend.close();
  rmSync(directory, { recursive: true, force: true });
}
