/**
 * End to end: records per second from `add` to the delivery function
 * through core's `DigestWorker`, per store — N records over K keys added by C
 * lanes through `worker.add`, every delay 0 (minimum, increment, maximum), so
 * each record is due at once: an add that makes its key ready digests it
 * there and then, the others are claimed by the worker's next pass (every
 * 10 ms). The clock runs from the first add to the delivery of the last
 * record.
 *
 * Next to it, in the same run: on Redis, a BullMQ Worker on the same server
 * processing N jobs added by the same C lanes (`Queue.add`, no delay), at
 * each of several worker concurrencies, the best reported; on the SQL
 * stores, the raw add floor (raw-limits.ts, single form) for the same N
 * records over K keys at C in flight.
 *
 * @module
 */
import { DigestWorker } from '@digests/core';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { drive, log, type Throughput, throughput } from '../measure.js';
import {
  benchValue,
  deleteRedisKeys,
  openStore,
  REDIS_URL,
  runId,
  type StoreName,
} from '../stores.js';
import { RAW_DESCRIPTIONS, rawLimit } from './raw-limits.js';

export interface EndToEndConfig {
  readonly records: number;
  readonly keys: number;
  /** Producer lanes (and the DigestWorker's concurrency). */
  readonly concurrency: number;
  /** BullMQ worker concurrencies to try (Redis only). */
  readonly bullmqConcurrency: readonly number[];
  /** Records (and BullMQ jobs) of the untimed warm-up before each measurement. Default 2 000. */
  readonly warmUp?: number;
}

export interface EndToEndResult {
  readonly store: StoreName;
  readonly records: number;
  readonly keys: number;
  readonly concurrency: number;
  /** Records per second, first add to last delivery. */
  readonly ours: Throughput;
  /** Records the delivery function received (must equal `records`). */
  readonly delivered: number;
  /** Redis: the BullMQ worker at each concurrency, jobs per second, add to completion. */
  readonly bullmq?: readonly { readonly concurrency: number; readonly jobs: Throughput }[];
  /** SQL stores: the raw add floor for the same records, keys and lanes. */
  readonly raw?: { readonly description: string; readonly add: Throughput };
}

/** Gives up waiting for deliveries after this long (a stalled store must not hang the run). */
const DRAIN_LIMIT_MS = 300_000;

/**
 * Runs the end-to-end scenario on a fresh store `name` (real clock, every delay 0).
 *
 * @example
 * ```ts
 * const result = await endToEnd('redis', { records: 20_000, keys: 1000, concurrency: 8, bullmqConcurrency: [8, 16, 32] });
 * ```
 */
export async function endToEnd(name: StoreName, config: EndToEndConfig): Promise<EndToEndResult> {
  const { records, keys, concurrency } = config;
  const warmUp = config.warmUp ?? 2000;
  const store = await openStore(name, {
    clock: Date.now,
    concurrency,
    backend: { minimumDelay: 0, incrementDelay: 0, maximumDelay: 0 },
  });
  try {
    let delivered = 0;
    let wanted = 0;
    let reached: (() => void) | undefined;
    const worker = new DigestWorker({
      backend: store.backend,
      interval: 10,
      concurrency,
      deliver: ({ records: batch }) => {
        delivered += batch.length;
        if (delivered >= wanted) reached?.();
      },
    });
    worker.start();
    const pass = async (prefix: string, total: number, label?: string): Promise<Throughput> => {
      delivered = 0;
      wanted = total;
      const all = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const started = performance.now();
      await drive(
        total,
        concurrency,
        (i) =>
          worker.add(`${prefix}:${i % keys}`, {
            key: `event-${i}`,
            value: benchValue(i),
            timestamp: Date.now(),
          }),
        label,
      );
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        all,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, DRAIN_LIMIT_MS);
        }),
      ]);
      clearTimeout(timer);
      return throughput(delivered, performance.now() - started);
    };
    try {
      await pass('e2e-warm', warmUp);
      log(`${name}: end to end, ${records.toLocaleString('en-US')} records over ${keys} keys`);
      const ours = await pass('e2e', records, `${name} end to end`);
      const oursDelivered = delivered;
      await worker.stop();
      const result: EndToEndResult = {
        store: name,
        records,
        keys,
        concurrency,
        ours,
        delivered: oursDelivered,
      };
      if (name === 'redis') {
        const bullmq = [];
        for (const c of config.bullmqConcurrency) {
          log(`redis: BullMQ worker, concurrency ${c}`);
          bullmq.push({
            concurrency: c,
            jobs: await bullmqEndToEnd(records, warmUp, concurrency, c),
          });
        }
        return { ...result, bullmq };
      }
      if (name !== 'memory') {
        log(`${name}: raw add floor for the end-to-end records`);
        const add = await rawLimit(store, { records, timelines: keys, concurrency });
        if (add !== undefined)
          return { ...result, raw: { description: RAW_DESCRIPTIONS[name], add } };
      }
      return result;
    } finally {
      await worker.stop();
    }
  } finally {
    await store.cleanup();
  }
}

/**
 * BullMQ: `records` jobs added by `lanes` lanes (`Queue.add`, no delay), a
 * Worker at `concurrency` on the same Redis; jobs per second from the first
 * add to the last completion.
 */
async function bullmqEndToEnd(
  records: number,
  warmUp: number,
  lanes: number,
  concurrency: number,
): Promise<Throughput> {
  const prefix = `bench-bull-e2e-${runId()}`;
  const url = new URL(REDIS_URL);
  const connection = {
    host: url.hostname,
    port: Number(url.port || 6379),
    db: Number(url.pathname.slice(1) || 0),
    maxRetriesPerRequest: null,
  };
  const queue = new Queue('e2e', { connection, prefix });
  let done = 0;
  let wanted = 0;
  let reached: (() => void) | undefined;
  const worker = new Worker(
    'e2e',
    async () => {
      done++;
      if (done >= wanted) reached?.();
    },
    { connection, prefix, concurrency },
  );
  const opts = { removeOnComplete: true, removeOnFail: true };
  const run = async (total: number): Promise<Throughput> => {
    done = 0;
    wanted = total;
    const all = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const started = performance.now();
    await drive(total, lanes, (i) =>
      queue.add('digest', { record: `event-${i}`, value: benchValue(i) }, opts),
    );
    await all;
    return throughput(done, performance.now() - started);
  };
  try {
    await queue.waitUntilReady();
    await worker.waitUntilReady();
    await run(warmUp);
    return await run(records);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    const redis = new Redis(REDIS_URL);
    await deleteRedisKeys(redis, `${prefix}:*`);
    await redis.quit();
  }
}
