/**
 * `npm run bench`: the issue-7 and issue-15 benchmarks. Per store: the
 * Sentry scenario, the raw store limit, the peer library (single adds);
 * batch ingest (ours through `addMany`, the raw limit and the peer in batch
 * form); digests against the store's digest floor; the memory add floor; the
 * end-to-end run through `DigestWorker`; then the scale scenario; then a
 * Markdown report with ratios and target verdicts. Writes
 * `bench/results/<date>.json` and `bench/results/latest.md`.
 *
 *   npm run bench -- --store memory,sqlite --quick
 *   npm run bench -- --store sqlite --only digest
 *   npm run bench -- --records 200000 --timelines 200 --concurrency 16
 *   npm run bench -- --batch 500 --scale-large redis=1000000,postgres=1000000
 *   npm run bench:final        # build, then measure the built dist/ (quiet machine)
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addFillMax,
  batch,
  concurrency,
  digestConfig,
  e2eConfig,
  memoryFloorConfig,
  out,
  quick,
  records,
  SCENARIOS,
  scaleAdds,
  scaleLarge,
  stores,
  timelines,
  wants,
} from './bench-config.js';
import { formatRate, log, ManualClock } from './measure.js';
import { type BenchRun, markdown, type StoreRun, verdicts } from './report.js';
import { type BatchIngestResult, batchIngest } from './scenarios/batch-ingest.js';
import { digestFloor } from './scenarios/digest-floor.js';
import { endToEnd } from './scenarios/end-to-end.js';
import { memoryFloor } from './scenarios/memory-floor.js';
import { peerAdd } from './scenarios/peers.js';
import { RAW_DESCRIPTIONS, rawLimit } from './scenarios/raw-limits.js';
import { type ScaleResult, scaleScenario } from './scenarios/scale.js';
import { sentryScenario } from './scenarios/sentry-scenario.js';
import { openStore, reachable, type StoreName } from './stores.js';

/** `addMany 12,345/s (native), raw 23,456/s, BullMQ 3,456/s` for the progress log. */
const batchLine = (b: BatchIngestResult): string =>
  `addMany ${formatRate(b.ours.perSecond)} (${b.native ? 'native' : 'fallback'})` +
  (b.raw ? `, raw ${formatRate(b.raw.add.perSecond)}` : '') +
  (b.peer ? `, ${b.peer.name} ${formatRate(b.peer.add.perSecond)}` : '');

const packages = import.meta.resolve('@digests/core').includes('/src/') ? 'source' : 'dist';
const config = {
  records,
  timelines,
  concurrency,
  batch: wants('batch') ? batch : 'off',
  quick,
  scenarios: SCENARIOS.filter(wants),
  digest: wants('digest') ? digestConfig : 'off',
  scale: wants('scale')
    ? {
        small: 1000,
        large: Object.fromEntries(stores.map((n) => [n, scaleLarge(n)])),
        adds: scaleAdds,
        addFillMax,
      }
    : 'off',
};
log(`digests bench — ${stores.join(', ')}; packages from ${packages}; ${JSON.stringify(config)}`);
if (packages === 'source') {
  log('  (packages run from TypeScript source through tsx; `npm run bench:final` measures dist/)');
}

const run: BenchRun = {
  date: new Date().toISOString(),
  node: process.version,
  packages,
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    loadBefore: loadavg(),
    loadAfter: [],
  },
  config,
  stores: {},
  skipped: {},
  scale: [],
};

const available: StoreName[] = [];
for (const name of stores) {
  const problem = await reachable(name);
  if (problem === undefined) available.push(name);
  else {
    (run.skipped as Record<string, string>)[name] = problem;
    log(`skip ${name}: ${problem}`);
  }
}

/**
 * Runs one scenario; a failure (a store timing out under load, say) is
 * written into the report's skipped list instead of ending the run.
 */
async function attempt<T>(label: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    (run.skipped as Record<string, string>)[label] = `failed: ${message}`;
    log(`${label} failed: ${message}`);
    return undefined;
  }
}

const perStore = SCENARIOS.filter((s) => s !== 'scale' && s !== 'e2e').some(wants);
for (const name of available) {
  const result: { -readonly [K in keyof StoreRun]: StoreRun[K] } = {};
  (run.stores as Record<string, StoreRun>)[name] = result;
  const clock = new ManualClock();
  const store = perStore
    ? await attempt(name, () => openStore(name, { clock: clock.read, concurrency }))
    : undefined;
  const sizes = { records, timelines, concurrency };
  if (store !== undefined) {
    try {
      if (wants('sentry')) {
        result.sentry = await attempt(`${name} sentry`, () => sentryScenario(store, clock, sizes));
      }
      if (wants('raw') && name !== 'memory') {
        log(`${name}: raw store limit`);
        const raw = await attempt(`${name} raw`, () => rawLimit(store, sizes));
        if (raw !== undefined) result.raw = { description: RAW_DESCRIPTIONS[name], add: raw };
      }
      if (wants('peers')) result.peer = await attempt(`${name} peers`, () => peerAdd(store, sizes));
      if (wants('batch')) {
        result.batch = await attempt(`${name} batch`, () =>
          batchIngest(store, clock, { ...sizes, batch, peers: wants('peers') }),
        );
      }
      if (wants('digest')) {
        result.digest = await attempt(`${name} digest`, () =>
          digestFloor(store, clock, digestConfig),
        );
      }
      if (wants('memory-floor') && name === 'memory') {
        result.memoryFloor = await attempt(`${name} memory-floor`, () =>
          memoryFloor(store, memoryFloorConfig),
        );
      }
    } finally {
      await store.cleanup();
    }
  }
  // On a store of its own: a real clock and every delay 0.
  if (wants('e2e')) result.e2e = await attempt(`${name} e2e`, () => endToEnd(name, e2eConfig));
  for (const key of Object.keys(result) as (keyof StoreRun)[]) {
    if (result[key] === undefined) delete result[key];
  }
  log(
    `${name}:` +
      (result.sentry ? ` add ${formatRate(result.sentry.add.perSecond)}` : '') +
      (result.raw ? `, raw ${formatRate(result.raw.add.perSecond)}` : '') +
      (result.peer ? `, ${result.peer.name} ${formatRate(result.peer.add.perSecond)}` : '') +
      (result.batch ? `; batches of ${batch}: ${batchLine(result.batch)}` : '') +
      (result.digest
        ? `; digest p50 ${result.digest.single.ours.p50.toFixed(2)} ms` +
          (result.digest.single.floor
            ? ` (floor ${result.digest.single.floor.p50.toFixed(2)} ms)`
            : '')
        : '') +
      (result.memoryFloor
        ? `; memory floor ${formatRate(result.memoryFloor.floor.perSecond)}`
        : '') +
      (result.e2e ? `; end to end ${formatRate(result.e2e.ours.perSecond)}` : ''),
  );
}

if (wants('scale')) {
  for (const name of available) {
    const result = await attempt(`${name} scale`, () =>
      scaleScenario(name, {
        small: 1000,
        large: scaleLarge(name),
        adds: scaleAdds,
        addFillMax,
        due: 1000,
        concurrency,
      }),
    );
    if (result !== undefined) (run.scale as ScaleResult[]).push(result);
  }
}

(run.machine as { loadAfter: readonly number[] }).loadAfter = loadavg();
run.verdicts = verdicts(run);
const report = markdown(run);
process.stdout.write(`\n${report}`);

const dir = out ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
mkdirSync(dir, { recursive: true });
const stamp = run.date.replace(/[:.]/g, '-');
writeFileSync(join(dir, `${stamp}.json`), `${JSON.stringify(run, null, 2)}\n`);
writeFileSync(join(dir, 'latest.md'), report);
log(`wrote ${join(dir, `${stamp}.json`)} and latest.md`);
