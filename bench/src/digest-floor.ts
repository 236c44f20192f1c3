/**
 * `npm run digest-floor -w bench`: the digest floors alone, quickly — per
 * store, one digest of 1 000 records against the store's raw floor, one at a
 * time and 8 in flight, interleaved in one process. Prints the table and the
 * verdicts; writes nothing.
 *
 *   npm run digest-floor -w bench -- --store sqlite,postgres
 *   npm run digest-floor -w bench -- --store redis --reps 100 --rounds 5
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { log, ManualClock } from './measure.js';
import { digestChecks, digestFloorSection, digestVerdicts } from './report-digest.js';
import { type DigestFloorResult, digestFloor } from './scenarios/digest-floor.js';
import { openStore, reachable, STORE_NAMES, type StoreName } from './stores.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: STORE_NAMES.join(',') },
    quick: { type: 'boolean', default: false },
    size: { type: 'string' },
    reps: { type: 'string' },
    timelines: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
  },
});

const int = (value: string | undefined, fallback: number): number => {
  const n = value === undefined ? fallback : Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`not a positive integer: ${value}`);
  return n;
};
const stores = values.store.split(',').map((s) => s.trim()) as StoreName[];
for (const s of stores) {
  if (!STORE_NAMES.includes(s)) throw new Error(`unknown store ${s}; pick from ${STORE_NAMES}`);
}
const config = {
  size: int(values.size, 1000),
  reps: int(values.reps, values.quick ? 10 : 40),
  timelines: int(values.timelines, 16),
  rounds: int(values.rounds, values.quick ? 2 : 4),
  concurrency: int(values.concurrency, 8),
};
log(`digest floors — ${stores.join(', ')}; ${JSON.stringify(config)}`);

const results: DigestFloorResult[] = [];
for (const name of stores) {
  const problem = await reachable(name);
  if (problem !== undefined) {
    log(`skip ${name}: ${problem}`);
    continue;
  }
  const clock = new ManualClock();
  const store = await openStore(name, { clock: clock.read, concurrency: config.concurrency });
  try {
    results.push(await digestFloor(store, clock, config));
  } finally {
    await store.cleanup();
  }
}

const lines = digestFloorSection(results);
lines.push('', '| target | form | measured | |', '| --- | --- | ---: | --- |');
for (const v of [...digestVerdicts(results), ...digestChecks(results)]) {
  const verdict = v.met === undefined ? 'reported' : v.met ? 'met' : '**missed**';
  lines.push(`| ${v.target} | ${v.form} | ${v.measured} | ${verdict} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
