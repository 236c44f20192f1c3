/**
 * The Redis peer: a BullMQ job per record, deduplicated per timeline key
 * (`deduplication: { id: key }`) and delayed by the increment delay — what a
 * user reaches for to "send one notification per key and window". It does
 * less than `add`: a deduplicated add drops the record (the user would keep
 * it elsewhere), and there is no per-key backoff arithmetic.
 *
 * Single form: `Queue.add` per record. Batch form: `Queue.addBulk` of
 * `batch` jobs with the same options (one MULTI of BullMQ's add scripts).
 *
 * @module
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { drive, driveBatches, type Throughput } from '../measure.js';
import { benchValue, deleteRedisKeys, REDIS_URL, runId } from '../stores.js';
import type { PeerBatchConfig, PeerConfig } from './peers.js';

export const BULLMQ_DESCRIPTION = 'BullMQ 5 Queue.add, deduplication id = timeline key, delay 30 s';
export const BULLMQ_BATCH_DESCRIPTION =
  'BullMQ 5 Queue.addBulk, deduplication id = timeline key per job, delay 30 s';

/** The job of record `i`: its timeline key is the dedup id. */
function job(i: number, timelines: number) {
  const key = `sentry:project:${i % timelines}`;
  return {
    name: 'digest',
    data: { key, record: `event-${i}`, value: benchValue(i) },
    opts: { deduplication: { id: key }, delay: 30_000, removeOnComplete: true },
  };
}

/** Runs `fn` on a fresh queue under a prefix of its own, then removes every key it made. */
async function withQueue<T>(fn: (queue: Queue) => Promise<T>): Promise<T> {
  const prefix = `bench-bull-${runId()}`;
  const url = new URL(REDIS_URL);
  // BullMQ opens its own connection (it bundles its own ioredis) to the same server.
  const queue = new Queue('digests', {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db: Number(url.pathname.slice(1) || 0),
      maxRetriesPerRequest: null,
    },
    prefix,
  });
  try {
    await queue.waitUntilReady();
    return await fn(queue);
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    const redis = new Redis(REDIS_URL);
    await deleteRedisKeys(redis, `${prefix}:*`);
    await redis.quit();
  }
}

/**
 * Adds `records` jobs over `timelines` dedup ids, `concurrency` in flight.
 *
 * @example
 * ```ts
 * const peer = await bullmqAdd({ records: 100_000, timelines: 100, concurrency: 8 });
 * ```
 */
export function bullmqAdd({ records, timelines, concurrency }: PeerConfig): Promise<Throughput> {
  return withQueue(async (queue) => {
    const op = (i: number) => {
      const { name, data, opts } = job(i, timelines);
      return queue.add(name, data, opts);
    };
    await drive(2000, concurrency, (i) => op(records + i));
    return drive(records, concurrency, op, 'bullmq add');
  });
}

/**
 * Adds `records` jobs `batch` per `addBulk`, `concurrency` calls in flight;
 * the throughput counts jobs.
 *
 * @example
 * ```ts
 * const peer = await bullmqAddBulk({ records: 100_000, timelines: 100, concurrency: 8, batch: 100 });
 * ```
 */
export function bullmqAddBulk({
  records,
  timelines,
  concurrency,
  batch,
}: PeerBatchConfig): Promise<Throughput> {
  return withQueue(async (queue) => {
    const op = (from: number, to: number) => {
      const jobs = [];
      for (let i = from; i < to; i++) jobs.push(job(i, timelines));
      return queue.addBulk(jobs);
    };
    await driveBatches(2000, batch, concurrency, (from, to) => op(records + from, records + to));
    return driveBatches(records, batch, concurrency, op, 'bullmq addBulk');
  });
}
