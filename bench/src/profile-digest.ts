/**
 * Profiles `digest` of 1 000-record timelines on one store (ours only, no
 * floor): the timelines are filled first, then the CPU profiler (node's
 * inspector) records only the digests, one at a time, and writes
 * `<dir>/digest-<store>.cpuprofile`.
 *
 *   node --conditions=source --import tsx src/profile-digest.ts sqlite 100 1000 /tmp/prof
 *   node --import tsx src/profile-summary.ts /tmp/prof/digest-sqlite.cpuprofile
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { addMany } from '@digests/core';
import { log, ManualClock } from './measure.js';
import { benchValue, openStore, type StoreName } from './stores.js';

const name = (process.argv[2] ?? 'sqlite') as StoreName;
const digests = Number(process.argv[3] ?? 100);
const size = Number(process.argv[4] ?? 1000);
const dir = process.argv[5] ?? '/tmp/prof';
const clock = new ManualClock();
const store = await openStore(name, { clock: clock.read, concurrency: 8 });
try {
  const keys = Array.from({ length: digests }, (_, t) => `profile:${t}`);
  for (const key of keys) {
    await addMany(
      store.backend,
      Array.from({ length: size }, (_, i) => ({
        key,
        record: { key: `event-${i}`, value: benchValue(i), timestamp: clock.now - size + i },
      })),
    );
  }
  let delivered = 0;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const started = performance.now();
  for (const key of keys) {
    await store.backend.digest(key, (records) => {
      delivered += records.length;
    });
  }
  const ms = performance.now() - started;
  const { profile } = await session.post('Profiler.stop');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `digest-${name}.cpuprofile`), JSON.stringify(profile));
  session.disconnect();
  log(
    `${name}: ${digests} digests of ${size} records, ${(ms / digests).toFixed(2)} ms each; ${delivered} delivered`,
  );
} finally {
  await store.cleanup();
}
