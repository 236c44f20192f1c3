/**
 * Profiles `add` on one store with the bench driver, for `node --cpu-prof`:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=source --import tsx \
 *     src/profile-add.ts memory 200000
 *   node --import tsx src/profile-summary.ts /tmp/prof/*.cpuprofile
 *
 * @module
 */
import { drive, log, ManualClock } from './measure.js';
import { benchValue, openStore, type StoreName } from './stores.js';

const name = (process.argv[2] ?? 'memory') as StoreName;
const records = Number(process.argv[3] ?? 200_000);
const clock = new ManualClock();
const store = await openStore(name, { clock: clock.read, concurrency: 8 });
try {
  const result = await drive(records, 8, (i) =>
    store.backend.add(`sentry:project:${i % 100}`, {
      key: `event-${i}`,
      value: benchValue(i),
      timestamp: clock.now,
    }),
  );
  log(`${name}: ${Math.round(result.perSecond)} adds/s`);
} finally {
  await store.cleanup();
}
