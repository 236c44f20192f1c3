/**
 * The scenario of Sentry's original digests benchmark, on one backend: load
 * N records into M timelines, schedule, digest every ready timeline,
 * schedule again after the backoff, digest again (empty: the key goes
 * absent), then count what is left — it must be 0.
 *
 * Our `add` makes an absent key ready at once (the first event is not held
 * back), where Sentry's left it waiting; so the load is followed by one
 * `maintenance(+∞)` that moves every ready key back to waiting, and the first
 * `schedule` then has all M timelines to move, as in Sentry's run.
 *
 * @module
 */
import { DEFAULT_OPTIONS } from '@digests/core';
import {
  drive,
  log,
  type ManualClock,
  type Percentiles,
  percentiles,
  type Throughput,
  throughput,
} from '../measure.js';
import { type BenchStore, benchValue, type StoreName } from '../stores.js';

export interface SentryScenarioConfig {
  readonly records: number;
  readonly timelines: number;
  readonly concurrency: number;
}

export interface SentryScenarioResult {
  readonly store: StoreName;
  readonly records: number;
  readonly timelines: number;
  readonly concurrency: number;
  readonly add: Throughput;
  readonly maintenance: Throughput;
  /** The first schedule (every timeline due). */
  readonly schedule: Throughput;
  /** Digests of full timelines (records / timelines records each). */
  readonly digest: Throughput;
  readonly digestLatency: Percentiles;
  /** The schedule after the backoff. */
  readonly scheduleAgain: Throughput;
  /** The empty digests after the backoff. */
  readonly digestAgain: Throughput;
  /** Records the digests handed over; must equal `records`. */
  readonly delivered: number;
  /** Keys/rows left at the end; must be 0. */
  readonly leftover: number;
}

/**
 * Runs the scenario on `store`, whose backend reads `clock`. Leaves the
 * store empty (that is what `leftover` checks); the caller cleans up.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const store = await openStore('sqlite', { clock: clock.read, concurrency: 8 });
 * const result = await sentryScenario(store, clock, { records: 100_000, timelines: 100, concurrency: 8 });
 * ```
 */
export async function sentryScenario(
  store: BenchStore,
  clock: ManualClock,
  config: SentryScenarioConfig,
): Promise<SentryScenarioResult> {
  await warmUp(store, config.concurrency);
  return run(store, config, { now: () => clock.now, advance: (ms) => clock.advance(ms) });
}

/** A few thousand adds and digests on other keys, so the JIT and the pools are warm. */
async function warmUp(store: BenchStore, concurrency: number): Promise<void> {
  const { backend } = store;
  const timelines = 20;
  await drive(2000, concurrency, (i) =>
    backend.add(`warm:${i % timelines}`, { key: `w${i}`, value: benchValue(i), timestamp: i }),
  );
  await drive(timelines, concurrency, (i) => backend.digest(`warm:${i}`, () => undefined));
  for (let i = 0; i < timelines; i++) await backend.delete(`warm:${i}`);
}

async function run(
  store: BenchStore,
  { records, timelines, concurrency }: SentryScenarioConfig,
  time: { now: () => number; advance: (ms: number) => void },
): Promise<SentryScenarioResult> {
  const { backend, name } = store;
  const key = (t: number): string => `sentry:project:${t}`;
  log(`${name}: add ${records.toLocaleString('en-US')} records into ${timelines} timelines`);
  const add = await drive(
    records,
    concurrency,
    (i) =>
      backend.add(key(i % timelines), {
        key: `event-${i}`,
        value: benchValue(i),
        timestamp: time.now(),
      }),
    `${name} add`,
  );

  let started = performance.now();
  const moved = await backend.maintenance(Number.POSITIVE_INFINITY);
  const maintenance = throughput(moved, performance.now() - started);

  const scheduled: string[] = [];
  started = performance.now();
  for await (const entry of backend.schedule(time.now())) scheduled.push(entry.key);
  const schedule = throughput(scheduled.length, performance.now() - started);

  log(`${name}: digest ${scheduled.length} timelines`);
  let delivered = 0;
  const latencies: number[] = [];
  const digest = await drive(
    scheduled.length,
    concurrency,
    async (i) => {
      const began = performance.now();
      await backend.digest(scheduled[i]!, (batch) => {
        delivered += batch.length;
      });
      latencies.push(performance.now() - began);
    },
    `${name} digest`,
  );

  time.advance(DEFAULT_OPTIONS.minimumDelay);
  const again: string[] = [];
  started = performance.now();
  for await (const entry of backend.schedule(time.now())) again.push(entry.key);
  const scheduleAgain = throughput(again.length, performance.now() - started);
  const digestAgain = await drive(again.length, concurrency, (i) =>
    backend.digest(again[i]!, (batch) => {
      delivered += batch.length;
    }),
  );

  return {
    store: name,
    records,
    timelines,
    concurrency,
    add,
    maintenance,
    schedule,
    digest,
    digestLatency: percentiles(latencies),
    scheduleAgain,
    digestAgain,
    delivered,
    leftover: await store.leftover(),
  };
}
