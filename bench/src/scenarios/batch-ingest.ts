/**
 * Batch ingest: the same N records into the same M timelines at the same
 * concurrency as the Sentry scenario's load, but `batch` records per call
 * (100 by default) — ours through core's `addMany` (the backend's native
 * batch when it has one, `hasAddMany`, else `add` entry by entry), side by
 * side with the raw store limit in batch form ({@link rawBatchLimit}) and the
 * peers' batch APIs ({@link peerAddBatch}). Every throughput counts records.
 *
 * After our run every timeline is inspected: the sizes must add up to N
 * (`addMany` keeps every record, where the peers drop deduplicated ones).
 *
 * @module
 */
import { type AddEntry, addMany, hasAddMany } from '@digests/core';
import { driveBatches, log, type ManualClock, type Throughput } from '../measure.js';
import { type BenchStore, type BenchValue, benchValue, type StoreName } from '../stores.js';
import { type PeerResult, peerAddBatch } from './peers.js';
import { RAW_BATCH_DESCRIPTIONS, rawBatchLimit } from './raw-limits.js';

export interface BatchIngestConfig {
  readonly records: number;
  readonly timelines: number;
  readonly concurrency: number;
  /** Records per call. */
  readonly batch: number;
  /** Skip the peers' batch APIs. */
  readonly peers: boolean;
}

export interface BatchIngestResult {
  readonly store: StoreName;
  readonly records: number;
  readonly timelines: number;
  readonly concurrency: number;
  readonly batch: number;
  /** Whether the backend has a native `addMany` (else core's sequential fallback ran). */
  readonly native: boolean;
  /** Ours: core `addMany`, records per second. */
  readonly ours: Throughput;
  readonly raw?: { readonly description: string; readonly add: Throughput };
  readonly peer?: PeerResult;
}

/**
 * Runs the scenario on `store` (whose backend reads `clock`). Leaves the
 * store's timelines empty; the caller cleans up.
 *
 * @example
 * ```ts
 * const result = await batchIngest(store, clock, { records: 100_000, timelines: 100, concurrency: 8, batch: 100, peers: true });
 * ```
 */
export async function batchIngest(
  store: BenchStore,
  clock: ManualClock,
  config: BatchIngestConfig,
): Promise<BatchIngestResult> {
  const { backend, name } = store;
  const { records, timelines, concurrency, batch } = config;
  const native = hasAddMany(backend);
  const entries = (prefix: string, from: number, to: number): AddEntry<BenchValue>[] => {
    const out: AddEntry<BenchValue>[] = [];
    for (let i = from; i < to; i++) {
      out.push({
        key: `${prefix}:${i % timelines}`,
        record: { key: `event-${i}`, value: benchValue(i), timestamp: clock.now },
      });
    }
    return out;
  };

  // Warm-up on other keys, then removed.
  await driveBatches(2000, batch, concurrency, (from, to) =>
    addMany(backend, entries('warm:batch', from, to)),
  );
  for (let t = 0; t < timelines; t++) await backend.delete(`warm:batch:${t}`);

  log(
    `${name}: addMany ${records.toLocaleString('en-US')} records into ${timelines} timelines, ` +
      `${batch} per call (${native ? 'native' : 'fallback: add one by one'})`,
  );
  const ours = await driveBatches(
    records,
    batch,
    concurrency,
    (from, to) => addMany(backend, entries('batch:project', from, to)),
    `${name} addMany`,
  );
  let stored = 0;
  for (let t = 0; t < timelines; t++) {
    stored += (await backend.inspect(`batch:project:${t}`)).size;
    await backend.delete(`batch:project:${t}`);
  }
  if (stored !== records) {
    throw new Error(`${name}: addMany stored ${stored} records, expected ${records}`);
  }

  const result: { -readonly [K in keyof BatchIngestResult]: BatchIngestResult[K] } = {
    store: name,
    records,
    timelines,
    concurrency,
    batch,
    native,
    ours,
  };
  if (name !== 'memory') {
    log(`${name}: raw store limit, batch form`);
    const raw = await rawBatchLimit(store, config);
    if (raw !== undefined) result.raw = { description: RAW_BATCH_DESCRIPTIONS[name], add: raw };
  }
  if (config.peers) {
    const peer = await peerAddBatch(store, config);
    if (peer !== undefined) result.peer = peer;
  }
  return result;
}
