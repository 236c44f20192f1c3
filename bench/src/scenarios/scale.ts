/**
 * Does a store slow down as it fills? With T timelines already waiting, we
 * measure `add` into existing timelines and `schedule` of a fixed number of
 * due keys, for a small T (1 000) and a large one, and report the ratio.
 *
 * Every store is filled through core's `addMany` (1 000 entries per call,
 * `concurrency` calls in flight), then `maintenance(+∞)` moves every key to
 * waiting: no store-specific layout to keep in step with the adapters. With
 * a native `addMany` 1 M timelines take seconds to a few minutes; a backend
 * without one goes through `add` one entry at a time, so its large size is
 * capped (`addFillMax`) and the report says so. The fill is checked through
 * `inspect` before anything is measured.
 *
 * @module
 */
import { type AddEntry, addMany, hasAddMany } from '@digests/core';
import { drive, driveBatches, log, ManualClock, type Throughput, throughput } from '../measure.js';
import {
  type BenchStore,
  type BenchValue,
  benchValue,
  openStore,
  type StoreName,
} from '../stores.js';

export interface ScalePoint {
  readonly timelines: number;
  readonly add: Throughput;
  /** `schedule` of `due` keys among `timelines` waiting ones. */
  readonly schedule: Throughput;
  readonly due: number;
  /** How the store was filled: the backend's native `addMany`, or `add` one by one (core's fallback). */
  readonly fill: 'addMany' | 'add';
  /** Wall time of the fill, maintenance included. */
  readonly fillMs: number;
}

export interface ScaleResult {
  readonly store: StoreName;
  readonly small: ScalePoint;
  readonly large: ScalePoint;
  /** Cost per add at the large size over the cost at the small one (≤ 1.5 is the target). */
  readonly addCostRatio: number;
  /** Cost per scheduled entry, large over small. */
  readonly scheduleCostRatio: number;
}

export interface ScaleConfig {
  readonly small: number;
  readonly large: number;
  /** Adds measured at each size. */
  readonly adds: number;
  /** Keys made due for the schedule measurement. */
  readonly due: number;
  readonly concurrency: number;
  /** The most timelines filled through `add` when the backend has no native `addMany`. */
  readonly addFillMax: number;
}

const key = (i: number): string => `scale:${i}`;
/** Entries per `addMany` call while filling. */
const FILL_BATCH = 1000;

/**
 * Measures `name` at both sizes, each in a fresh space.
 *
 * @example
 * ```ts
 * const result = await scaleScenario('sqlite', { small: 1000, large: 1_000_000, adds: 20_000, due: 1000, concurrency: 8, addFillMax: 100_000 });
 * ```
 */
export async function scaleScenario(name: StoreName, config: ScaleConfig): Promise<ScaleResult> {
  const small = await point(name, config.small, config);
  const large = await point(name, config.large, config);
  return {
    store: name,
    small,
    large,
    addCostRatio: small.add.perSecond / large.add.perSecond,
    scheduleCostRatio: small.schedule.perSecond / large.schedule.perSecond,
  };
}

async function point(name: StoreName, size: number, config: ScaleConfig): Promise<ScalePoint> {
  const clock = new ManualClock();
  const store = await openStore(name, { clock: clock.read, concurrency: config.concurrency });
  try {
    const native = hasAddMany(store.backend);
    const timelines = native ? size : Math.min(size, config.addFillMax);
    const fill: ScalePoint['fill'] = native ? 'addMany' : 'add';
    // Scores base + i, all in the past: key i is due at base + i.
    const base = clock.now - 10 * timelines - 1_000_000;
    log(
      `${name}: fill ${timelines.toLocaleString('en-US')} waiting timelines through ` +
        (native
          ? 'addMany (native)'
          : `add (no native addMany${timelines < size ? `; capped from ${size.toLocaleString('en-US')}` : ''})`),
    );
    const started = performance.now();
    await fillThroughAddMany(store, timelines, base, config.concurrency);
    const fillMs = performance.now() - started;
    log(`${name}: filled in ${(fillMs / 1000).toFixed(1)} s`);
    const probe = await store.backend.inspect(key(timelines - 1));
    if (probe.state !== 'waiting' || probe.size !== 1 || probe.score !== base + timelines - 1) {
      throw new Error(
        `${name}: the fill did not produce waiting timelines (${JSON.stringify(probe)})`,
      );
    }
    // Adds go to existing timelines in a scattered order (7919 is prime).
    const op = (i: number) =>
      store.backend.add(key((i * 7919) % timelines), {
        key: `event-${i}`,
        value: benchValue(i),
        timestamp: clock.now,
      });
    await drive(Math.min(2000, config.adds), config.concurrency, (i) => op(config.adds + i));
    const add = await drive(config.adds, config.concurrency, op, `${name} add @${timelines}`);
    const due = Math.min(config.due, timelines);
    const began = performance.now();
    let yielded = 0;
    for await (const _ of store.backend.schedule(base + due - 1)) yielded++;
    const schedule = throughput(yielded, performance.now() - began);
    if (yielded !== due) throw new Error(`${name}: schedule yielded ${yielded}, expected ${due}`);
    return { timelines, add, schedule, due, fill, fillMs };
  } finally {
    await store.cleanup();
  }
}

/**
 * Key i gets one record at base + i: absent → ready on its first add, then
 * `maintenance(+∞)` moves every key to waiting, its score kept.
 */
async function fillThroughAddMany(
  store: BenchStore,
  timelines: number,
  base: number,
  concurrency: number,
): Promise<void> {
  const seed = benchValue(0);
  await driveBatches(
    timelines,
    FILL_BATCH,
    concurrency,
    (from, to) => {
      const entries: AddEntry<BenchValue>[] = [];
      for (let i = from; i < to; i++) {
        entries.push({ key: key(i), record: { key: 'seed', value: seed, timestamp: base + i } });
      }
      return addMany(store.backend, entries);
    },
    `${store.name} fill`,
  );
  await store.backend.maintenance(Number.POSITIVE_INFINITY);
}
