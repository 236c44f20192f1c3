/**
 * Digest cost against the store's digest floor ({@link openDigestFloor}),
 * interleaved in one run so both see the same machine:
 *
 * - **one at a time**: `reps` digests of a timeline of `size` records, ours
 *   (`backend.digest(key, fn)`, `fn` only counting) and the floor's, rep by
 *   rep (the order alternates), each on a timeline filled just before (not
 *   timed); p50 and mean of each;
 * - **in flight**: `rounds` rounds of `timelines` timelines of `size` records
 *   digested `concurrency` at a time (the Sentry scenario's shape), ours then
 *   the floor (alternating), records per second over all rounds.
 *
 * Memory has no floor: its figures are reported alone.
 *
 * @module
 */
import { addMany } from '@digests/core';
import { drive, log, type ManualClock, type Throughput, throughput } from '../measure.js';
import { type BenchStore, benchValue, type StoreName } from '../stores.js';
import { type DigestFloor, openDigestFloor } from './digest-floors.js';

export interface DigestFloorConfig {
  /** Records per timeline (1 000). */
  readonly size: number;
  /** Single digests per side. */
  readonly reps: number;
  /** Timelines per round in the in-flight measure. */
  readonly timelines: number;
  /** In-flight rounds per side. */
  readonly rounds: number;
  /** Digests in flight (8, as in the Sentry scenario). */
  readonly concurrency: number;
}

/** p50 and mean of a set of single-digest times, in milliseconds. */
export interface DigestTimes {
  readonly samples: number;
  readonly p50: number;
  readonly mean: number;
}

export interface DigestFloorResult {
  readonly store: StoreName;
  readonly size: number;
  readonly concurrency: number;
  /** The floor in words; absent for memory. */
  readonly floorDescription?: string;
  readonly single: { readonly ours: DigestTimes; readonly floor?: DigestTimes };
  /** Records digested per second with `concurrency` digests in flight. */
  readonly inFlight: { readonly ours: Throughput; readonly floor?: Throughput };
  /** Records ours delivered / the floor handed over; each must be reps × size + rounds × timelines × size. */
  readonly delivered: { readonly ours: number; readonly floor?: number };
  /** Records left in the floor's space afterwards (must be 0). */
  readonly floorLeft?: number;
}

/**
 * Runs the digest-floor scenario on `store` (whose backend reads `clock`).
 * Leaves the backend's keys deleted and the floor's space removed.
 *
 * @example
 * ```ts
 * const result = await digestFloor(store, clock, { size: 1000, reps: 30, timelines: 16, rounds: 3, concurrency: 8 });
 * result.single.ours.p50 / result.single.floor!.p50; // ours ÷ floor
 * ```
 */
export async function digestFloor(
  store: BenchStore,
  clock: ManualClock,
  config: DigestFloorConfig,
): Promise<DigestFloorResult> {
  const floor = await openDigestFloor(store);
  try {
    return await measure(store, clock, floor, config);
  } finally {
    await floor?.close();
  }
}

async function measure(
  store: BenchStore,
  clock: ManualClock,
  floor: DigestFloor | undefined,
  { size, reps, timelines, rounds, concurrency }: DigestFloorConfig,
): Promise<DigestFloorResult> {
  const { backend, name } = store;
  let next = 0; // timeline numbers, never reused: each digest sees a fresh timeline
  let oursDelivered = 0;
  let floorDelivered = 0;
  const oursKeys: string[] = [];
  const oursKey = (t: number): string => `digest-floor:${t}`;

  const fillOurs = async (t: number): Promise<void> => {
    const key = oursKey(t);
    oursKeys.push(key);
    const entries = Array.from({ length: size }, (_, i) => ({
      key,
      record: { key: `event-${i}`, value: benchValue(i), timestamp: clock.now - size + i },
    }));
    // The first add makes an absent key ready at once: the digest can open it.
    await addMany(backend, entries);
  };
  const digestOurs = (t: number): Promise<unknown> =>
    backend.digest(oursKey(t), (records) => {
      oursDelivered += records.length;
    });
  const digestFloorOf = async (t: number): Promise<void> => {
    const handed = await floor!.digest(t); // not `+= await`: lanes would lose updates
    floorDelivered += handed;
  };

  const time = async (fn: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };

  // Warm-up: JIT, pools, prepared statements (not counted).
  for (let i = 0; i < 3; i++) {
    const t = next++;
    await fillOurs(t);
    await digestOurs(t);
    if (floor !== undefined) {
      await floor.fill(t, size);
      await floor.digest(t);
    }
  }
  oursDelivered = 0;

  log(`${name}: ${reps} single digests of ${size} records, ours and floor interleaved`);
  const oursTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const t = next++;
    await fillOurs(t);
    if (floor !== undefined) await floor.fill(t, size);
    const runOurs = async () => oursTimes.push(await time(() => digestOurs(t)));
    const runFloor = async () => {
      if (floor !== undefined) floorTimes.push(await time(() => digestFloorOf(t)));
    };
    if (rep % 2 === 0) {
      await runOurs();
      await runFloor();
    } else {
      await runFloor();
      await runOurs();
    }
  }

  log(`${name}: ${rounds} rounds of ${timelines} digests, ${concurrency} in flight`);
  let oursMs = 0;
  let floorMs = 0;
  let oursCount = 0;
  let floorCount = 0;
  for (let round = 0; round < rounds; round++) {
    const first = next;
    next += timelines;
    for (let i = 0; i < timelines; i++) await fillOurs(first + i);
    if (floor !== undefined) for (let i = 0; i < timelines; i++) await floor.fill(first + i, size);
    const runOurs = async () => {
      const before = oursDelivered;
      const started = performance.now();
      await drive(timelines, concurrency, (i) => digestOurs(first + i));
      oursMs += performance.now() - started;
      oursCount += oursDelivered - before;
    };
    const runFloor = async () => {
      if (floor === undefined) return;
      const before = floorDelivered;
      const started = performance.now();
      await drive(timelines, concurrency, (i) => digestFloorOf(first + i));
      floorMs += performance.now() - started;
      floorCount += floorDelivered - before;
    };
    if (round % 2 === 0) {
      await runOurs();
      await runFloor();
    } else {
      await runFloor();
      await runOurs();
    }
  }

  for (const key of oursKeys) await backend.delete(key);
  const result: DigestFloorResult = {
    store: name,
    size,
    concurrency,
    single: {
      ours: times(oursTimes),
      ...(floor === undefined ? {} : { floor: times(floorTimes) }),
    },
    inFlight: {
      ours: throughput(oursCount, oursMs),
      ...(floor === undefined ? {} : { floor: throughput(floorCount, floorMs) }),
    },
    delivered: {
      ours: oursDelivered,
      ...(floor === undefined ? {} : { floor: floorDelivered }),
    },
    ...(floor === undefined
      ? {}
      : { floorDescription: floor.description, floorLeft: await floor.remaining() }),
  };
  return result;
}

function times(samples: readonly number[]): DigestTimes {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  const p50 = sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { samples: sorted.length, p50, mean };
}
