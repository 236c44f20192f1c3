/**
 * Does a store slow down as it fills? With T timelines already waiting, we
 * measure `add` into existing timelines and `schedule` of a fixed number of
 * due keys, for a small T (1 000) and a large one, and report the ratio.
 *
 * Memory is filled through `add`. The other stores are filled directly in
 * their layout (a pipeline on Redis, `INSERT … SELECT` on SQL) — seconds
 * instead of minutes — and the fill is checked through `inspect` before
 * anything is measured, so a layout change fails loudly instead of
 * measuring an empty store.
 *
 * @module
 */
import { DEFAULT_SHARDS, shardKeys, shardOf, timelineKeys } from '@digests/redis';
import Database from 'better-sqlite3';
import { drive, log, ManualClock, type Throughput, throughput } from '../measure.js';
import { type BenchStore, benchValue, openStore, type StoreName } from '../stores.js';

export interface ScalePoint {
  readonly timelines: number;
  readonly add: Throughput;
  /** `schedule` of `due` keys among `timelines` waiting ones. */
  readonly schedule: Throughput;
  readonly due: number;
  /** How the store was filled: directly in its layout, or through `add` (the layout changed). */
  readonly fill: 'layout' | 'add';
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
}

const key = (i: number): string => `scale:${i}`;
const SEED_VALUE = JSON.stringify(benchValue(0));

/**
 * Measures `name` at both sizes, each in a fresh space.
 *
 * @example
 * ```ts
 * const result = await scaleScenario('sqlite', { small: 1000, large: 1_000_000, adds: 20_000, due: 1000, concurrency: 8 });
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
  let timelines = size;
  const clock = new ManualClock();
  const store = await openStore(name, { clock: clock.read, concurrency: config.concurrency });
  try {
    // Scores base + i, all in the past: key i is due at base + i.
    const base = clock.now - 10 * timelines - 1_000_000;
    log(`${name}: fill ${timelines.toLocaleString('en-US')} waiting timelines`);
    const started = performance.now();
    let filled: ScalePoint['fill'] = 'layout';
    try {
      await fill(store, timelines, base);
    } catch (error) {
      // The SQL schema is still changing under the adapters' owners; fall back
      // to the public API (slower, so capped) rather than measure nothing.
      filled = 'add';
      timelines = Math.min(timelines, ADD_FILL_MAX);
      log(
        `${name}: direct fill failed (${(error as Error).message}); filling ${timelines} through add`,
      );
      await fillThroughAdd(store, timelines, base, config.concurrency);
    }
    log(`${name}: filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
    return { timelines, add, schedule, due, fill: filled };
  } finally {
    await store.cleanup();
  }
}

/** The most timelines a fill through `add` makes (it runs at add speed). */
const ADD_FILL_MAX = 100_000;

async function fillThroughAdd(
  store: BenchStore,
  timelines: number,
  base: number,
  concurrency: number,
): Promise<void> {
  await drive(
    timelines,
    concurrency,
    (i) => store.backend.add(key(i), { key: 'seed', value: benchValue(0), timestamp: base + i }),
    `${store.name} fill`,
  );
  await store.backend.maintenance(Number.POSITIVE_INFINITY);
}

async function fill(store: BenchStore, timelines: number, base: number): Promise<void> {
  switch (store.name) {
    case 'memory': {
      // Every key: absent → ready on its first add, then maintenance → waiting (score kept).
      for (let i = 0; i < timelines; i++) {
        await store.backend.add(key(i), { key: 'seed', value: benchValue(0), timestamp: base + i });
      }
      await store.backend.maintenance(Number.POSITIVE_INFINITY);
      return;
    }
    case 'redis': {
      const redis = store.redis!;
      const shards = Array.from({ length: DEFAULT_SHARDS }, (_, s) =>
        shardKeys(store.namespace!, s),
      );
      for (let from = 0; from < timelines; from += 5000) {
        const pipeline = redis.pipeline();
        for (let i = from; i < Math.min(timelines, from + 5000); i++) {
          const shard = shards[shardOf(key(i), DEFAULT_SHARDS)]!;
          const keys = timelineKeys(shard, key(i));
          pipeline.zadd(keys.timeline, base + i, 'seed');
          pipeline.hset(keys.values, 'seed', SEED_VALUE);
          pipeline.zadd(shard.waiting, base + i, key(i));
        }
        await pipeline.exec();
      }
      return;
    }
    case 'postgres': {
      const pool = store.pool!;
      const schema = `"${store.schema}"`;
      await pool.query(
        `INSERT INTO ${schema}.digests_timelines (timeline_key, state, score, touched_at)
         SELECT convert_to('scale:' || i, 'UTF8'), 'waiting', $1::float8 + i, $1::float8
         FROM generate_series(0, $2::int - 1) AS i`,
        [base, timelines],
      );
      await pool.query(
        `INSERT INTO ${schema}.digests_records (timeline_key, snapshot, record_key, value, value_is_text, "timestamp")
         SELECT convert_to('scale:' || i, 'UTF8'), 0, convert_to('seed', 'UTF8'), convert_to($3, 'UTF8'), 1, $1::float8 + i
         FROM generate_series(0, $2::int - 1) AS i`,
        [base, timelines, SEED_VALUE],
      );
      await pool.query(`ANALYZE ${schema}.digests_timelines, ${schema}.digests_records`);
      return;
    }
    case 'sqlite': {
      const db = new Database(store.sqliteFile!);
      db.pragma('busy_timeout = 5000');
      const series =
        'WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)';
      db.transaction(() => {
        db.prepare(
          `${series} INSERT INTO digests_timelines (timeline_key, state, score, touched_at)
           SELECT CAST('scale:' || i AS BLOB), 'waiting', ? + i, ? FROM s`,
        ).run(timelines, base, base);
        db.prepare(
          `${series} INSERT INTO digests_records (timeline_key, snapshot, record_key, value, value_is_text, "timestamp")
           SELECT CAST('scale:' || i AS BLOB), 0, CAST('seed' AS BLOB), CAST(? AS BLOB), 1, ? + i FROM s`,
        ).run(timelines, SEED_VALUE, base);
      })();
      db.exec('ANALYZE');
      db.close();
      return;
    }
  }
}
