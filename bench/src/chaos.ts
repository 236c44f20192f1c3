/**
 * `npm run chaos`: producers and workers as separate processes against
 * Redis (a private server), PostgreSQL (a schema of its own) and SQLite (a
 * temp file), with workers killed mid-digest, connections dropped and the
 * private Redis restarted. Prints added / delivered / lost / duplicates per
 * store; exits 1 if anything was lost or duplicated without an interrupted
 * digest to explain it.
 *
 *   npm run chaos -- --store all --seconds 60
 *   npm run chaos -- --store sqlite --seconds 15
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { CHAOS_STORES, type ChaosStore } from './chaos/chaos-backend.js';
import { type ChaosResult, chaosUnavailable, runChaos } from './chaos/orchestrator.js';
import { log } from './measure.js';
import { DATABASE_URL } from './stores.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '60' },
  },
});
const stores: ChaosStore[] =
  values.store === 'all' ? [...CHAOS_STORES] : (values.store.split(',') as ChaosStore[]);
for (const s of stores) {
  if (!CHAOS_STORES.includes(s))
    throw new Error(`unknown store ${s}; pick from ${CHAOS_STORES}, all`);
}
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error(`--seconds must be positive, got ${values.seconds}`);

const results: ChaosResult[] = [];
for (const store of stores) {
  const problem = await chaosUnavailable(store);
  if (problem !== undefined) {
    log(`skip ${store}: ${problem}`);
    continue;
  }
  results.push(await runChaos({ store, seconds, databaseUrl: DATABASE_URL, log }));
}

const rows = results.map((r) => {
  const t = r.tally;
  return {
    store: r.store,
    seconds: r.seconds,
    added: t.added,
    delivered: t.delivered,
    lost: t.lost,
    'delivered twice': t.duplicates,
    'interrupted digests': t.interruptedDigests,
    'their records': t.interruptedRecords,
    'dup. from retried adds': t.duplicatesFromRetriedAdds,
    'unexplained dup.': t.unexplainedDuplicates,
    phantoms: t.phantoms,
    'ambiguous adds': t.ambiguousAdds,
    'workers killed': r.faults.workersKilled,
    'conns dropped': r.faults.connectionsDropped,
    restarts: r.faults.storeRestarts,
    'leases lost': r.workers.leasesLost ?? 0,
    drained: r.drained ? `${(r.drainMs / 1000).toFixed(1)} s` : 'NO',
  };
});
console.log('\nchaos tally');
console.table(rows);
const bad = results.filter(
  (r) =>
    r.tally.lost > 0 || r.tally.unexplainedDuplicates > 0 || r.tally.phantoms > 0 || !r.drained,
);
if (bad.length > 0) {
  console.log(`FAILED: ${bad.map((r) => r.store).join(', ')}`);
  process.exitCode = 1;
} else {
  console.log('lost 0; every duplicate comes from an interrupted digest or a retried add');
}
