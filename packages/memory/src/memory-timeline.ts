import { compareCodePoints, type StoredRecord } from '@digests/core';

/**
 * What the memory store keeps per timeline key, besides its schedule.
 *
 * @example
 * ```ts
 * const timeline = emptyTimeline();
 * timeline.records.set('e1', { key: 'e1', timestamp: 1, value: '"a"' });
 * ```
 */
export interface MemoryTimeline {
  records: Map<string, StoredRecord>;
  /** The open digest's records, or those a failed digest left behind. */
  snapshot: Map<string, StoredRecord> | undefined;
  quarantine: Map<string, StoredRecord> | undefined;
  lastProcessed: number | undefined;
  lease: { token: string; expiresAt: number } | undefined;
}

/**
 * A timeline that holds nothing yet.
 *
 * @example
 * ```ts
 * timelines.set(key, emptyTimeline());
 * ```
 */
export function emptyTimeline(): MemoryTimeline {
  return {
    records: new Map(),
    snapshot: undefined,
    quarantine: undefined,
    lastProcessed: undefined,
    lease: undefined,
  };
}

/**
 * Newest first: timestamp descending, then record key descending.
 *
 * @example
 * ```ts
 * const newest = [...timeline.records.values()].sort(newestFirst);
 * ```
 */
export function newestFirst(a: StoredRecord, b: StoredRecord): number {
  return b.timestamp - a.timestamp || compareCodePoints(b.key, a.key);
}

/**
 * The `count` newest of `records`, keyed by record key.
 *
 * @example
 * ```ts
 * timeline.records = keepNewest(timeline.records.values(), 100);
 * ```
 */
export function keepNewest(
  records: Iterable<StoredRecord>,
  count: number,
): Map<string, StoredRecord> {
  const kept = [...records].sort(newestFirst).slice(0, count);
  return new Map(kept.map((stored) => [stored.key, stored]));
}

/**
 * Whether a digest holds the timeline's lease at `now`.
 *
 * @example
 * ```ts
 * if (leaseHeld(timeline, now)) return { outcome: 'conflict' };
 * ```
 */
export function leaseHeld(timeline: MemoryTimeline | undefined, now: number): boolean {
  return timeline?.lease !== undefined && timeline.lease.expiresAt > now;
}

/**
 * Records held: timeline plus snapshot.
 *
 * @example
 * ```ts
 * const size = sizeOf(timelines.get(key)); // 0 for an unknown key
 * ```
 */
export function sizeOf(timeline: MemoryTimeline | undefined): number {
  return timeline === undefined ? 0 : timeline.records.size + (timeline.snapshot?.size ?? 0);
}

/**
 * Moves the timeline's records into its snapshot, merging with a snapshot
 * a failed digest left (a record key in both keeps the newer; the
 * timeline's on a tie) and trimming to `capacity`. Returns the snapshot,
 * newest first; the timeline is left empty.
 *
 * @example
 * ```ts
 * const newest = openSnapshot(timeline, request.capacity);
 * ```
 */
export function openSnapshot(
  timeline: MemoryTimeline,
  capacity: number | undefined,
): StoredRecord[] {
  const merged = timeline.snapshot ?? new Map<string, StoredRecord>();
  for (const record of timeline.records.values()) {
    const existing = merged.get(record.key);
    if (existing === undefined || record.timestamp >= existing.timestamp) {
      merged.set(record.key, record);
    }
  }
  let newest = [...merged.values()].sort(newestFirst);
  if (capacity !== undefined && newest.length > capacity) {
    newest = newest.slice(0, capacity);
    timeline.snapshot = new Map(newest.map((stored) => [stored.key, stored]));
  } else {
    timeline.snapshot = merged;
  }
  timeline.records = new Map();
  return newest;
}

/**
 * Removes the named records from the timeline and from a snapshot whose
 * lease is not held at `now`; returns how many (a key in both counts twice).
 *
 * @example
 * ```ts
 * const removed = removeRecords(timelines.get(key), ['e1', 'e2'], now);
 * ```
 */
export function removeRecords(
  timeline: MemoryTimeline | undefined,
  recordKeys: readonly string[],
  now: number,
): number {
  if (timeline === undefined) return 0;
  const snapshot = leaseHeld(timeline, now) ? undefined : timeline.snapshot;
  let removed = 0;
  for (const recordKey of recordKeys) {
    if (timeline.records.delete(recordKey)) removed++;
    if (snapshot?.delete(recordKey)) removed++;
  }
  if (timeline.snapshot?.size === 0) timeline.snapshot = undefined;
  return removed;
}
