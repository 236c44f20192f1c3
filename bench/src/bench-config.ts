/**
 * The command line of `npm run bench`: which stores, which scenarios, which
 * sizes. `--only digest,e2e` runs just those scenarios; `--no-<scenario>`
 * leaves one out.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { STORE_NAMES, type StoreName } from './stores.js';

/** Every scenario `--only` accepts, in the order a run takes them. */
export const SCENARIOS = [
  'sentry',
  'raw',
  'peers',
  'batch',
  'digest',
  'memory-floor',
  'e2e',
  'scale',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: STORE_NAMES.join(',') },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    records: { type: 'string' },
    timelines: { type: 'string' },
    concurrency: { type: 'string' },
    batch: { type: 'string' },
    'no-batch': { type: 'boolean', default: false },
    'scale-large': { type: 'string' },
    'no-scale': { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
    'no-digest': { type: 'boolean', default: false },
    'no-e2e': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

export const quick = values.quick;
export const out = values.out;
export const stores = values.store.split(',').map((s) => s.trim()) as StoreName[];
for (const s of stores) {
  if (!STORE_NAMES.includes(s)) throw new Error(`unknown store ${s}; pick from ${STORE_NAMES}`);
}
const only = values.only?.split(',').map((s) => s.trim()) as Scenario[] | undefined;
for (const s of only ?? []) {
  if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; pick from ${SCENARIOS}`);
}
const off: Partial<Record<Scenario, boolean>> = {
  batch: values['no-batch'],
  scale: values['no-scale'],
  peers: values['no-peers'],
  digest: values['no-digest'],
  e2e: values['no-e2e'],
};

/** Whether this run takes `scenario`. */
export function wants(scenario: Scenario): boolean {
  return only === undefined ? off[scenario] !== true : only.includes(scenario);
}

/** A positive integer option (underscores allowed), or `fallback`. */
export function int(value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`not a positive integer: ${value}`);
  return n;
}

export const records = int(values.records, quick ? 10_000 : 100_000);
export const timelines = int(values.timelines, quick ? 10 : 100);
export const concurrency = int(values.concurrency, 8);
export const batch = int(values.batch, 100);

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

/** The large scale size of store `name`. */
export function scaleLarge(name: StoreName): number {
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
}

/** A backend without a native addMany fills through add: at most this many timelines. */
export const addFillMax = quick ? 10_000 : 100_000;
export const scaleAdds = quick ? 5_000 : 20_000;

/** The digest-floor sizes: 1 000 records per digest, 8 in flight. */
export const digestConfig = {
  size: 1000,
  reps: quick ? 6 : 40,
  timelines: quick ? 8 : 16,
  rounds: quick ? 2 : 4,
  concurrency: 8,
};

/** The memory add floor: records per round, rounds per side. */
export const memoryFloorConfig = {
  records: quick ? 50_000 : 200_000,
  timelines,
  concurrency,
  rounds: quick ? 3 : 5,
};

/** The end-to-end scenario: 20 000 records over 1 000 keys, delays 0 (`--quick`: 5 000 over 250). */
export const e2eConfig = {
  records: quick ? 5_000 : 20_000,
  keys: quick ? 250 : 1000,
  concurrency,
  bullmqConcurrency: [8, 16, 32],
  warmUp: quick ? 500 : 2000,
};
