/**
 * `npm run bench`: the issue-7 benchmarks. Per store: the Sentry scenario,
 * the raw store limit, the peer library (single adds); batch ingest (ours
 * through `addMany`, the raw limit and the peer in batch form); then the
 * scale scenario; then a
 * Markdown report with ratios and target verdicts. Writes
 * `bench/results/<date>.json` and `bench/results/latest.md`.
 *
 *   npm run bench -- --store memory,sqlite --quick
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
import { parseArgs } from 'node:util';
import { formatRate, log, ManualClock } from './measure.js';
import { type BenchRun, markdown, type StoreRun, verdicts } from './report.js';
import { type BatchIngestResult, batchIngest } from './scenarios/batch-ingest.js';
import { peerAdd } from './scenarios/peers.js';
import { RAW_DESCRIPTIONS, rawLimit } from './scenarios/raw-limits.js';
import { type ScaleResult, scaleScenario } from './scenarios/scale.js';
import { sentryScenario } from './scenarios/sentry-scenario.js';
import { openStore, reachable, STORE_NAMES, type StoreName } from './stores.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: STORE_NAMES.join(',') },
    quick: { type: 'boolean', default: false },
    records: { type: 'string' },
    timelines: { type: 'string' },
    concurrency: { type: 'string' },
    batch: { type: 'string' },
    'no-batch': { type: 'boolean', default: false },
    'scale-large': { type: 'string' },
    'no-scale': { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const quick = values.quick;
const stores = values.store.split(',').map((s) => s.trim()) as StoreName[];
for (const s of stores) {
  if (!STORE_NAMES.includes(s)) throw new Error(`unknown store ${s}; pick from ${STORE_NAMES}`);
}
const int = (value: string | undefined, fallback: number): number => {
  const n = value === undefined ? fallback : Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`not a positive integer: ${value}`);
  return n;
};
const records = int(values.records, quick ? 10_000 : 100_000);
const timelines = int(values.timelines, quick ? 10 : 100);
const concurrency = int(values.concurrency, 8);
const batch = int(values.batch, 100);
/**
 * Large scale sizes: filled through `addMany`, so with native batches 1 M is
 * minutes at most; a backend without one is filled through `add` and capped
 * (see scale.ts). `--scale-large 500000` sets every store,
 * `--scale-large redis=1000000,postgres=1000000` some.
 */
const largeDefaults: Record<StoreName, number> = quick
  ? { memory: 100_000, sqlite: 100_000, redis: 20_000, postgres: 20_000, mysql: 20_000 }
  : {
      memory: 1_000_000,
      sqlite: 1_000_000,
      redis: 1_000_000,
      postgres: 1_000_000,
      mysql: 1_000_000,
    };
const scaleLarge = (name: StoreName): number => {
  const option = values['scale-large'];
  if (option === undefined) return largeDefaults[name];
  if (!option.includes('=')) return int(option, 0);
  for (const part of option.split(',')) {
    const [store, size] = part.split('=').map((s) => s.trim());
    if (!STORE_NAMES.includes(store as StoreName))
      throw new Error(`--scale-large: unknown store ${store}`);
    if (store === name) return int(size, 0);
  }
  return largeDefaults[name];
};
/** A backend without a native addMany fills through add: at most this many timelines. */
const addFillMax = quick ? 10_000 : 100_000;
const scaleAdds = quick ? 5_000 : 20_000;

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
  batch: values['no-batch'] ? 'off' : batch,
  quick,
  scale: values['no-scale']
    ? 'off'
    : {
        small: 1000,
        large: Object.fromEntries(stores.map((n) => [n, scaleLarge(n)])),
        adds: scaleAdds,
        addFillMax,
      },
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

for (const name of available) {
  const clock = new ManualClock();
  const store = await openStore(name, { clock: clock.read, concurrency });
  try {
    const sentry = await sentryScenario(store, clock, { records, timelines, concurrency });
    const result: { -readonly [K in keyof StoreRun]: StoreRun[K] } = { sentry };
    if (name !== 'memory') {
      log(`${name}: raw store limit`);
      const raw = await rawLimit(store, { records, timelines, concurrency });
      if (raw !== undefined) result.raw = { description: RAW_DESCRIPTIONS[name], add: raw };
    }
    if (!values['no-peers']) {
      const peer = await peerAdd(store, { records, timelines, concurrency });
      if (peer !== undefined) result.peer = peer;
    }
    if (!values['no-batch']) {
      result.batch = await batchIngest(store, clock, {
        records,
        timelines,
        concurrency,
        batch,
        peers: !values['no-peers'],
      });
    }
    (run.stores as Record<string, StoreRun>)[name] = result;
    log(
      `${name}: add ${Math.round(sentry.add.perSecond)}/s` +
        (result.raw ? `, raw ${Math.round(result.raw.add.perSecond)}/s` : '') +
        (result.peer ? `, ${result.peer.name} ${Math.round(result.peer.add.perSecond)}/s` : '') +
        (result.batch ? `; batches of ${batch}: ${batchLine(result.batch)}` : ''),
    );
  } finally {
    await store.cleanup();
  }
}

if (!values['no-scale']) {
  for (const name of available) {
    const result: ScaleResult = await scaleScenario(name, {
      small: 1000,
      large: scaleLarge(name),
      adds: scaleAdds,
      addFillMax,
      due: 1000,
      concurrency,
    });
    (run.scale as ScaleResult[]).push(result);
  }
}

(run.machine as { loadAfter: readonly number[] }).loadAfter = loadavg();
run.verdicts = verdicts(run);
const report = markdown(run);
process.stdout.write(`\n${report}`);

const out = values.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
mkdirSync(out, { recursive: true });
const stamp = run.date.replace(/[:.]/g, '-');
writeFileSync(join(out, `${stamp}.json`), `${JSON.stringify(run, null, 2)}\n`);
writeFileSync(join(out, 'latest.md'), report);
log(`wrote ${join(out, `${stamp}.json`)} and latest.md`);
