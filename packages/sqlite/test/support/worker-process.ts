/**
 * One process of the multi-process test, run with
 * `node --conditions=source --import tsx worker-process.ts <role> <file> <id> <count> <keys> <done-marker>`.
 * Prints `delivered <key>/<record key>` for every record it delivers.
 * - `producer`: adds `count` records, digesting at once when an add returns true;
 * - `digester`: maintenance + schedule + digest until the marker file exists
 *   and the store is empty.
 */
import { existsSync } from 'node:fs';
import { InvalidStateError, LeaseConflictError, type TimelineRecord } from '@digests/core';
import { SqliteBackend } from '../../src/index.js';

const [role, filename, id, count, keys, marker] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const backend = new SqliteBackend({
  filename,
  busyTimeout: 20_000,
  minimumDelay: 0,
  incrementDelay: 0,
  maximumDelay: 0,
});
let out: string[] = [];
const flush = () => {
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
  out = [];
};

const deliver = (key: string) =>
  backend
    .digest(key, (records: readonly TimelineRecord[]) => {
      for (const r of records) out.push(`delivered ${key}/${r.key}`);
    })
    .then(flush)
    .catch((error: unknown) => {
      // Another process got there first: the records are its to deliver.
      if (!(error instanceof LeaseConflictError || error instanceof InvalidStateError)) throw error;
    });

if (role === 'producer') {
  for (let i = 0; i < Number(count); i++) {
    const key = `k:${(i * 7 + Number(id) * 13) % Number(keys)}`;
    if (await backend.add(key, { key: `${id}-${i}`, value: i, timestamp: Date.now() })) {
      await deliver(key);
    }
  }
} else {
  for (;;) {
    await backend.maintenance(Date.now());
    let found = 0;
    for await (const { key } of backend.schedule(Date.now(), { chunkSize: 20 })) {
      found++;
      await deliver(key);
    }
    if (found === 0) {
      if (existsSync(marker) && (await backend.storedRows()) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
flush();
await backend.close();
