/**
 * The memory store's read-only steps (inspect, list, peek, quarantined,
 * stats): they change nothing, so they live apart from the atomic writes.
 *
 * @module
 */
import {
  type BackendStats,
  compareListPositions,
  comparePeekPositions,
  type ListEntry,
  type ListRequest,
  type PeekedStoredRecord,
  type PeekRequest,
  type StoredRecord,
  type StoreInfo,
} from '@digests/core';
import { type MemoryTimeline, newestFirst, sizeOf } from './memory-timeline.js';
import type { ScheduleIndex } from './schedule-index.js';

/**
 * What the reads look at: the timelines and the two schedule states.
 *
 * @example
 * ```ts
 * const info = inspectKey({ timelines, waiting, ready }, 'mail:p:1');
 * ```
 */
export interface MemoryView {
  readonly timelines: ReadonlyMap<string, MemoryTimeline>;
  readonly waiting: ScheduleIndex;
  readonly ready: ScheduleIndex;
}

/**
 * The key's state, score, size, quarantine count and last digest.
 *
 * @example
 * ```ts
 * inspectKey(view, 'mail:p:1'); // { state: 'ready', score: 1000, size: 3, quarantined: 0 }
 * ```
 */
export function inspectKey(view: MemoryView, key: string): StoreInfo {
  const timeline = view.timelines.get(key);
  const size = sizeOf(timeline);
  const quarantined = timeline?.quarantine?.size ?? 0;
  const lastProcessed = timeline?.lastProcessed;
  const last = lastProcessed === undefined ? {} : { lastProcessed };
  const readyScore = view.ready.get(key);
  if (readyScore !== undefined) {
    return { state: 'ready', score: readyScore, size, quarantined, ...last };
  }
  const waitingScore = view.waiting.get(key);
  if (waitingScore !== undefined) {
    return { state: 'waiting', score: waitingScore, size, quarantined, ...last };
  }
  return { state: 'absent', size, quarantined, ...last };
}

/**
 * Up to `limit` keys after `after` in schedule order. O(n log n) over the
 * keys of the state asked for: fine for an in-process store.
 *
 * @example
 * ```ts
 * const entries = listKeys(view, { state: 'ready', limit: 51 });
 * ```
 */
export function listKeys(view: MemoryView, request: ListRequest): ListEntry[] {
  const { after, state, limit } = request;
  const entries: ListEntry[] = [];
  const collect = (index: ScheduleIndex, entryState: 'waiting' | 'ready') => {
    for (const [key, score] of index.entries()) {
      if (after !== undefined && compareListPositions({ score, key }, after) <= 0) continue;
      entries.push({ key, state: entryState, score, size: sizeOf(view.timelines.get(key)) });
    }
  };
  if (state !== 'ready') collect(view.waiting, 'waiting');
  if (state !== 'waiting') collect(view.ready, 'ready');
  return entries.sort(compareListPositions).slice(0, limit);
}

/**
 * A page of the timeline's and snapshot's records in peek order. O(n log n)
 * over the key's records: fine for an in-process store.
 *
 * @example
 * ```ts
 * const page = peekRecords(view.timelines.get(key), { limit: 51 });
 * ```
 */
export function peekRecords(
  timeline: MemoryTimeline | undefined,
  request: PeekRequest,
): PeekedStoredRecord[] {
  if (timeline === undefined) return [];
  const { after, limit } = request;
  const all: PeekedStoredRecord[] = [];
  for (const record of timeline.records.values()) all.push({ ...record, inSnapshot: false });
  for (const record of timeline.snapshot?.values() ?? []) {
    all.push({ ...record, inSnapshot: true });
  }
  return all
    .filter((record) => after === undefined || comparePeekPositions(record, after) > 0)
    .sort(comparePeekPositions)
    .slice(0, limit);
}

/**
 * The quarantined values, oldest first.
 *
 * @example
 * ```ts
 * const poisoned = quarantinedRecords(view.timelines.get(key));
 * ```
 */
export function quarantinedRecords(timeline: MemoryTimeline | undefined): StoredRecord[] {
  const quarantine = timeline?.quarantine;
  if (quarantine === undefined) return [];
  return [...quarantine.values()].sort((a, b) => newestFirst(b, a));
}

/**
 * Keys per state, records held and the next due time; O(n) over timelines.
 *
 * @example
 * ```ts
 * const { waiting, ready, records } = countKeys(view);
 * ```
 */
export function countKeys(view: MemoryView): BackendStats {
  let records = 0;
  for (const timeline of view.timelines.values()) records += sizeOf(timeline);
  const next = view.waiting.peek();
  return {
    waiting: view.waiting.size,
    ready: view.ready.size,
    records,
    ...(next === undefined ? {} : { oldestDue: next.score }),
  };
}
