/**
 * The libraries users would pick instead of digests, on the same server and
 * at the same concurrency: BullMQ on Redis, pg-boss on PostgreSQL. SQLite
 * and memory have no comparable peer.
 *
 * @module
 */
import type { Throughput } from '../measure.js';
import type { BenchStore } from '../stores.js';
import {
  BULLMQ_BATCH_DESCRIPTION,
  BULLMQ_DESCRIPTION,
  bullmqAdd,
  bullmqAddBulk,
} from './bullmq.js';
import {
  PGBOSS_BATCH_DESCRIPTION,
  PGBOSS_DESCRIPTION,
  pgBossInsert,
  pgBossSend,
} from './pg-boss.js';

export interface PeerConfig {
  readonly records: number;
  readonly timelines: number;
  readonly concurrency: number;
}

export interface PeerBatchConfig extends PeerConfig {
  /** Jobs per call. */
  readonly batch: number;
}

export interface PeerResult {
  readonly name: string;
  readonly description: string;
  readonly add: Throughput;
}

/**
 * Measures the peer of `store`'s kind, if it has one.
 *
 * @example
 * ```ts
 * const peer = await peerAdd(store, { records: 100_000, timelines: 100, concurrency: 8 });
 * ```
 */
export async function peerAdd(
  store: BenchStore,
  config: PeerConfig,
): Promise<PeerResult | undefined> {
  if (store.name === 'redis') {
    return { name: 'BullMQ', description: BULLMQ_DESCRIPTION, add: await bullmqAdd(config) };
  }
  if (store.name === 'postgres') {
    return {
      name: 'pg-boss',
      description: PGBOSS_DESCRIPTION,
      add: await pgBossSend(store.pool!, config),
    };
  }
  return undefined;
}

/**
 * Measures the batch API of the peer of `store`'s kind, if it has one:
 * BullMQ `addBulk`, pg-boss `insert`. The throughput counts jobs.
 *
 * @example
 * ```ts
 * const peer = await peerAddBatch(store, { records: 100_000, timelines: 100, concurrency: 8, batch: 100 });
 * ```
 */
export async function peerAddBatch(
  store: BenchStore,
  config: PeerBatchConfig,
): Promise<PeerResult | undefined> {
  if (store.name === 'redis') {
    return {
      name: 'BullMQ',
      description: BULLMQ_BATCH_DESCRIPTION,
      add: await bullmqAddBulk(config),
    };
  }
  if (store.name === 'postgres') {
    return {
      name: 'pg-boss',
      description: PGBOSS_BATCH_DESCRIPTION,
      add: await pgBossInsert(store.pool!, config),
    };
  }
  return undefined;
}
