/**
 * One producer of the WAL test, run with
 * `node --conditions=source --import tsx wal-producer.ts <file> <id> <count>`:
 * adds `count` records (over 200 keys) back to back through `SqliteBackend`.
 */
import { SqliteBackend } from '../../src/index.js';

const [filename, id, count] = process.argv.slice(2) as [string, string, string];
// Generous waits: four processes share two cores in CI, and an add must not fail here.
const backend = new SqliteBackend({ filename, busyTimeout: 20_000, operationTimeout: 30_000 });
for (let i = 0; i < Number(count); i++) {
  await backend.add(`k:${(i * 7 + Number(id) * 13) % 200}`, {
    key: `${id}-${i}`,
    value: { text: 'x'.repeat(100), i },
    timestamp: Date.now(),
  });
}
await backend.close();
