/**
 * The Redis peer: a BullMQ job per record, deduplicated per timeline key
 * (`deduplication: { id: key }`) and delayed by the increment delay — what a
 * user reaches for to "send one notification per key and window". It does
 * less than `add`: a deduplicated add drops the record (the user would keep
 * it elsewhere), and there is no per-key backoff arithmetic.
 *
 * @module
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { drive, type Throughput } from '../measure.js';
import { benchValue, deleteRedisKeys, REDIS_URL, runId } from '../stores.js';
import type { PeerConfig } from './peers.js';

export const BULLMQ_DESCRIPTION = 'BullMQ 5 Queue.add, deduplication id = timeline key, delay 30 s';

/**
 * Adds `records` jobs over `timelines` dedup ids, `concurrency` in flight.
 *
 * @example
 * ```ts
 * const peer = await bullmqAdd({ records: 100_000, timelines: 100, concurrency: 8 });
 * ```
 */
export async function bullmqAdd({
  records,
  timelines,
  concurrency,
}: PeerConfig): Promise<Throughput> {
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
  const op = (i: number) =>
    queue.add(
      'digest',
      { key: `sentry:project:${i % timelines}`, record: `event-${i}`, value: benchValue(i) },
      {
        deduplication: { id: `sentry:project:${i % timelines}` },
        delay: 30_000,
        removeOnComplete: true,
      },
    );
  try {
    await queue.waitUntilReady();
    await drive(2000, concurrency, (i) => op(records + i));
    return await drive(records, concurrency, op, 'bullmq add');
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    const redis = new Redis(REDIS_URL);
    await deleteRedisKeys(redis, `${prefix}:*`);
    await redis.quit();
  }
}
