/**
 * Micro-benchmark of the memory backend. Prints figures; asserts nothing.
 *
 *   npm run bench:memory --workspace bench
 *
 * - add against its floor (issue 15: JsonCodec.encode + Map.set into a Map
 *   per timeline, the same driver and concurrency), interleaved round by
 *   round in this one process; ratios by wall time and by this process's
 *   CPU time (which a busy machine distorts much less);
 * - end to end through `DigestWorker`: 20 000 records over 1 000 keys, every
 *   delay 0, delivering at once; records/s from the first add to the last
 *   delivery;
 * - the cost of scheduling and digesting 100 000 due keys.
 *
 * Sizes: ADDS (default 200 000), ROUNDS (5), KEYS (100 000).
 *
 * @module
 */
import { DigestWorker, JsonCodec } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { drive, type Throughput } from './measure.js';
import { type BenchValue, benchValue } from './stores.js';

const ADDS = Number(process.env.ADDS ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const KEYS = Number(process.env.KEYS ?? 100_000);
const TIMELINES = 100;
const CONCURRENCY = 8;

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measureAddFloor(): Promise<void> {
  const codec = new JsonCodec<BenchValue>();
  const values = Array.from({ length: ADDS }, (_, i) => benchValue(i));
  const recordKeys = Array.from({ length: ADDS }, (_, i) => `event-${i}`);
  const keys = Array.from({ length: TIMELINES }, (_, t) => `memory-floor:${t}`);
  const now = Date.now();
  const ours = async (): Promise<Throughput> => {
    const backend = new MemoryBackend<BenchValue>();
    const result = await drive(ADDS, CONCURRENCY, (i) =>
      backend.add(keys[i % TIMELINES]!, { key: recordKeys[i]!, value: values[i]!, timestamp: now }),
    );
    await backend.close();
    return result;
  };
  const floor = (): Promise<Throughput> => {
    const maps = new Map<string, Map<string, { value: unknown; timestamp: number }>>();
    return drive(ADDS, CONCURRENCY, async (i) => {
      const key = keys[i % TIMELINES]!;
      let timeline = maps.get(key);
      if (timeline === undefined) {
        timeline = new Map();
        maps.set(key, timeline);
      }
      timeline.set(recordKeys[i]!, { value: codec.encode(values[i]!), timestamp: now });
    });
  };
  await ours(); // warm-up
  await floor();
  const wall: number[] = [];
  const cpu: number[] = [];
  const oursRates: number[] = [];
  const floorRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let a: Throughput;
    let f: Throughput;
    if (round % 2 === 0) {
      a = await ours();
      f = await floor();
    } else {
      f = await floor();
      a = await ours();
    }
    oursRates.push(a.perSecond);
    floorRates.push(f.perSecond);
    wall.push(a.perSecond / f.perSecond);
    cpu.push(f.cpuMs! / a.cpuMs!);
  }
  console.log(
    `add / floor    ${ADDS.toLocaleString('en-US')} adds over ${TIMELINES} keys, ${CONCURRENCY} in flight, ${ROUNDS} rounds: ours ${rate(median(oursRates), 1000)}, floor ${rate(median(floorRates), 1000)}; ours/floor median ${median(wall).toFixed(2)}× by wall time, ${median(cpu).toFixed(2)}× by CPU time (rounds: ${wall.map((r) => r.toFixed(2)).join(' ')})`,
  );
}

async function measureEndToEnd(): Promise<void> {
  const run = async (prefix: string, records: number): Promise<number> => {
    const backend = new MemoryBackend<BenchValue>({
      minimumDelay: 0,
      incrementDelay: 0,
      maximumDelay: 0,
    });
    let delivered = 0;
    let reached: () => void = () => undefined;
    const all = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const worker = new DigestWorker<BenchValue>({
      backend,
      interval: 10,
      concurrency: CONCURRENCY,
      deliver: ({ records: batch }) => {
        delivered += batch.length;
        if (delivered >= records) reached();
      },
    });
    worker.start();
    const started = performance.now();
    await drive(records, CONCURRENCY, (i) =>
      worker.add(`${prefix}:${i % 1000}`, {
        key: `event-${i}`,
        value: benchValue(i),
        timestamp: Date.now(),
      }),
    );
    await all;
    const ms = performance.now() - started;
    await worker.stop();
    await backend.close();
    return (records / ms) * 1000;
  };
  await run('e2e-warm', 2000);
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) rates.push(await run(`e2e-${round}`, 20_000));
  console.log(
    `end to end     20,000 records over 1,000 keys through DigestWorker: median ${rate(median(rates), 1000)} (rounds: ${rates.map((r) => Math.round(r).toLocaleString('en-US')).join(' ')})`,
  );
}

async function measureSchedule(): Promise<void> {
  let now = 0;
  const backend = new MemoryBackend({ clock: () => now });
  for (let i = 0; i < KEYS; i++) {
    await backend.add(`mail:p:${i}`, { key: 'r', value: i, timestamp: i });
  }
  await backend.maintenance(Number.POSITIVE_INFINITY); // every key → waiting
  now = KEYS;
  const started = performance.now();
  let yielded = 0;
  for await (const _ of backend.schedule(now)) yielded++;
  const elapsed = performance.now() - started;
  console.log(
    `schedule       ${yielded.toLocaleString('en-US')} due keys: ${elapsed.toFixed(0)} ms, ${((elapsed * 1000) / yielded).toFixed(2)} µs/key`,
  );

  const digestStarted = performance.now();
  for (let i = 0; i < KEYS; i++) await backend.digest(`mail:p:${i}`, () => undefined);
  console.log(
    `digest         ${KEYS.toLocaleString('en-US')} keys: ${rate(KEYS, performance.now() - digestStarted)}`,
  );

  // Cost with few due keys among many: must not scan every timeline.
  const few = performance.now();
  let some = 0;
  for await (const _ of backend.schedule(now + 300_000 - 1)) some++;
  console.log(
    `schedule       ${some} due among ${KEYS.toLocaleString('en-US')} waiting: ${(performance.now() - few).toFixed(3)} ms`,
  );
}

console.log(`digests memory backend micro-benchmark — node ${process.version}`);
await measureAddFloor();
await measureEndToEnd();
await measureSchedule();
const rss = process.memoryUsage().rss / 1024 / 1024;
console.log(`rss            ${rss.toFixed(0)} MiB`);
