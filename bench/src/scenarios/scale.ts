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
 * `inspect` before anything is measured. Both sizes stay open and the
 * measurements alternate between them round by round.
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
  /** Adds measured at each size (over every round). */
  readonly adds: number;
  /** Keys made due for the schedule measurement (over every round). */
  readonly due: number;
  readonly concurrency: number;
  /** The most timelines filled through `add` when the backend has no native `addMany`. */
  readonly addFillMax: number;
  /** Rounds per size, small and large alternating (default 4). */
  readonly rounds?: number;
}

const key = (i: number): string => `scale:${i}`;
/** Entries per `addMany` call while filling. */
const FILL_BATCH = 1000;

/** One filled space, open for the measurement. */
interface Filled {
  readonly store: BenchStore;
  readonly clock: ManualClock;
  readonly timelines: number;
  /** Key i is due at base + i. */
  readonly base: number;
  readonly fill: ScalePoint['fill'];
  readonly fillMs: number;
}

/**
 * Measures `name` at both sizes, each in a space of its own, both open at
 * once: the adds and the schedules alternate between the two sizes round by
 * round (the order flipping each round), so both see the same machine.
 *
 * @example
 * ```ts
 * const result = await scaleScenario('sqlite', { small: 1000, large: 1_000_000, adds: 20_000, due: 1000, concurrency: 8, addFillMax: 100_000 });
 * ```
 */
export async function scaleScenario(name: StoreName, config: ScaleConfig): Promise<ScaleResult> {
  const opened: Filled[] = [];
  try {
    opened.push(await filled(name, config.small, config));
    opened.push(await filled(name, config.large, config));
    const [small, large] = opened as [Filled, Filled];
    const rounds = config.rounds ?? 4;
    const addsPerRound = Math.max(1, Math.floor(config.adds / rounds));
    const duePerRound = Math.max(1, Math.floor(Math.min(config.due, small.timelines) / rounds));
    const spent = new Map<Filled, { addMs: number; adds: number; scheduleMs: number; due: number }>(
      opened.map((f) => [f, { addMs: 0, adds: 0, scheduleMs: 0, due: 0 }]),
    );
    for (const f of opened) await adds(f, 0, Math.min(2000, addsPerRound), config.concurrency);
    log(
      `${name}: ${rounds} rounds of ${addsPerRound} adds and a schedule of ${duePerRound} due keys, ${count(small.timelines)} and ${count(large.timelines)} timelines alternating`,
    );
    for (let round = 0; round < rounds; round++) {
      for (const f of round % 2 === 0 ? [small, large] : [large, small]) {
        const tally = spent.get(f)!;
        const from = 10_000 + round * addsPerRound;
        const added = await adds(f, from, addsPerRound, config.concurrency);
        tally.addMs += added.ms;
        tally.adds += added.count;
        // Keys 0 … (round + 1) × duePerRound − 1 are due; the earlier rounds took the first ones.
        const began = performance.now();
        let yielded = 0;
        for await (const _ of f.store.backend.schedule(f.base + (round + 1) * duePerRound - 1))
          yielded++;
        tally.scheduleMs += performance.now() - began;
        tally.due += yielded;
        if (yielded !== duePerRound) {
          throw new Error(`${name}: schedule yielded ${yielded}, expected ${duePerRound}`);
        }
      }
    }
    const point = (f: Filled): ScalePoint => {
      const t = spent.get(f)!;
      return {
        timelines: f.timelines,
        add: throughput(t.adds, t.addMs),
        schedule: throughput(t.due, t.scheduleMs),
        due: t.due,
        fill: f.fill,
        fillMs: f.fillMs,
      };
    };
    const s = point(small);
    const l = point(large);
    return {
      store: name,
      small: s,
      large: l,
      addCostRatio: s.add.perSecond / l.add.perSecond,
      scheduleCostRatio: s.schedule.perSecond / l.schedule.perSecond,
    };
  } finally {
    for (const f of opened) await f.store.cleanup();
  }
}

/** `count` adds into existing timelines in a scattered order (7919 is prime), record keys from `from`. */
function adds(f: Filled, from: number, count: number, concurrency: number): Promise<Throughput> {
  return drive(count, concurrency, (i) =>
    f.store.backend.add(key(((from + i) * 7919) % f.timelines), {
      key: `event-${from + i}`,
      value: benchValue(from + i),
      timestamp: f.clock.now,
    }),
  );
}

async function filled(name: StoreName, size: number, config: ScaleConfig): Promise<Filled> {
  const clock = new ManualClock();
  // A 1 000-entry addMany on a loaded server may take longer than the default
  // 10 s step timeout; the fill is a load, not a measurement.
  const store = await openStore(name, {
    clock: clock.read,
    concurrency: config.concurrency,
    backend: { operationTimeout: 120_000 },
  });
  try {
    const native = hasAddMany(store.backend);
    const timelines = native ? size : Math.min(size, config.addFillMax);
    const fill: ScalePoint['fill'] = native ? 'addMany' : 'add';
    // Scores base + i, all in the past: key i is due at base + i.
    const base = clock.now - 10 * timelines - 1_000_000;
    log(
      `${name}: fill ${count(timelines)} waiting timelines through ` +
        (native
          ? 'addMany (native)'
          : `add (no native addMany${timelines < size ? `; capped from ${count(size)}` : ''})`),
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
    return { store, clock, timelines, base, fill, fillMs };
  } catch (error) {
    await store.cleanup();
    throw error;
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
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
