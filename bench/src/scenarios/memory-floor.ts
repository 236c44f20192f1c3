/**
 * The memory add floor: what an in-process digest store cannot go below per
 * record — encode the value with the same codec (JSON) and `Map.set` it into
 * a map per timeline. Ours (`backend.add` on the memory backend) and the
 * floor run in alternating rounds of the same records, timelines and
 * concurrency, through the same driver, in one process.
 *
 * @module
 */
import { JsonCodec } from '@digests/core';
import { drive, log, type Throughput, throughput } from '../measure.js';
import { type BenchStore, type BenchValue, benchValue } from '../stores.js';

export interface MemoryFloorConfig {
  /** Records per round. */
  readonly records: number;
  readonly timelines: number;
  readonly concurrency: number;
  /** Rounds per side. */
  readonly rounds: number;
}

export interface MemoryFloorResult {
  readonly records: number;
  readonly timelines: number;
  readonly concurrency: number;
  readonly rounds: number;
  /** Adds per second over every round. */
  readonly ours: Throughput;
  readonly floor: Throughput;
  /** ours ÷ floor of each round pair, for the spread. */
  readonly roundRatios: readonly number[];
  /** The floor in words, for the report. */
  readonly description: string;
}

export const MEMORY_FLOOR_DESCRIPTION =
  'JsonCodec.encode of the value + Map.set into a Map per timeline (record key → { value, timestamp }), same driver and concurrency';

/**
 * Runs ours and the floor in alternating rounds on the memory `store`.
 *
 * @example
 * ```ts
 * const result = await memoryFloor(store, { records: 200_000, timelines: 100, concurrency: 8, rounds: 5 });
 * result.ours.perSecond / result.floor.perSecond; // target ≥ 0.8
 * ```
 */
export async function memoryFloor(
  store: BenchStore,
  config: MemoryFloorConfig,
): Promise<MemoryFloorResult> {
  const { backend } = store;
  const { records, timelines, concurrency, rounds } = config;
  const codec = new JsonCodec<BenchValue>();
  const values = Array.from({ length: records }, (_, i) => benchValue(i));
  const recordKeys = Array.from({ length: records }, (_, i) => `event-${i}`);
  const now = Date.now();

  const runOurs = async (round: number): Promise<Throughput> => {
    const keys = Array.from({ length: timelines }, (_, t) => `memory-floor:${round}:${t}`);
    const result = await drive(records, concurrency, (i) =>
      backend.add(keys[i % timelines]!, { key: recordKeys[i]!, value: values[i]!, timestamp: now }),
    );
    for (const key of keys) await backend.delete(key);
    return result;
  };
  const runFloor = async (): Promise<Throughput> => {
    const maps = new Map<string, Map<string, { value: unknown; timestamp: number }>>();
    const keys = Array.from({ length: timelines }, (_, t) => `memory-floor:${t}`);
    return drive(records, concurrency, async (i) => {
      const key = keys[i % timelines]!;
      let timeline = maps.get(key);
      if (timeline === undefined) {
        timeline = new Map();
        maps.set(key, timeline);
      }
      timeline.set(recordKeys[i]!, { value: codec.encode(values[i]!), timestamp: now });
    });
  };

  await runOurs(-1); // warm-up
  await runFloor();
  log(`memory: add floor, ${rounds} rounds of ${records.toLocaleString('en-US')} each side`);
  let oursMs = 0;
  let floorMs = 0;
  const roundRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let ours: Throughput;
    let floor: Throughput;
    if (round % 2 === 0) {
      ours = await runOurs(round);
      floor = await runFloor();
    } else {
      floor = await runFloor();
      ours = await runOurs(round);
    }
    oursMs += ours.ms;
    floorMs += floor.ms;
    roundRatios.push(ours.perSecond / floor.perSecond);
  }
  return {
    records,
    timelines,
    concurrency,
    rounds,
    ours: throughput(records * rounds, oursMs),
    floor: throughput(records * rounds, floorMs),
    roundRatios,
    description: MEMORY_FLOOR_DESCRIPTION,
  };
}
