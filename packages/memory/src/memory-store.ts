import type { BackendStats } from '@digests/core';
import {
  type CommitRequest,
  compareCodePoints,
  compareListPositions,
  comparePeekPositions,
  type DigestStore,
  type ListEntry,
  type ListRequest,
  type OpenRequest,
  type OpenResult,
  type PeekedStoredRecord,
  type PeekRequest,
  type ScheduleEntry,
  type StoreAdd,
  type StoreContext,
  type StoredRecord,
  type StoreInfo,
  scheduleAfterAdd,
} from '@digests/core';
import { ScheduleIndex } from './schedule-index.js';

interface Timeline {
  records: Map<string, StoredRecord>;
  /** The open digest's records, or those a failed digest left behind. */
  snapshot: Map<string, StoredRecord> | undefined;
  quarantine: Map<string, StoredRecord> | undefined;
  lastProcessed: number | undefined;
  lease: { token: string; expiresAt: number } | undefined;
}

/** Newest first: timestamp descending, then record key descending. */
function newestFirst(a: StoredRecord, b: StoredRecord): number {
  return b.timestamp - a.timestamp || compareCodePoints(b.key, a.key);
}

/**
 * The reference {@link DigestStore}: every step is synchronous inside, so it
 * is atomic by construction (no await between a read and its write). The
 * schedule lives in three indexed heaps (waiting, ready, last touch), so
 * `claim` and `requeue` cost O(k log n) for k due keys, never a scan.
 *
 * @example
 * ```ts
 * import { StoreBackend } from '@digests/core';
 * import { MemoryStore } from '@digests/memory';
 *
 * const backend = new StoreBackend(new MemoryStore(), { minimumDelay: 60_000 });
 * ```
 */
export class MemoryStore implements DigestStore {
  readonly description = 'the in-memory store';
  readonly inProcess = true;
  readonly maxBatch = 10_000;
  readonly #timelines = new Map<string, Timeline>();
  readonly #waiting = new ScheduleIndex();
  readonly #ready = new ScheduleIndex();
  /** Last touch per key; kept only when the front asks for ttl bookkeeping. */
  readonly #touched = new ScheduleIndex();

  async add(adds: readonly StoreAdd[], context: StoreContext): Promise<boolean[]> {
    return adds.map((add) => this.#add(add, context));
  }

  #add(add: StoreAdd, { now, touch }: StoreContext): boolean {
    let timeline = this.#timelines.get(add.key);
    if (timeline === undefined) {
      timeline = {
        records: new Map(),
        snapshot: undefined,
        quarantine: undefined,
        lastProcessed: undefined,
        lease: undefined,
      };
      this.#timelines.set(add.key, timeline);
    }
    // Replacing keeps the map's insertion order; digests sort anyway.
    timeline.records.set(add.record.key, add.record);
    if (add.trimTo !== undefined && timeline.records.size > add.trimTo) {
      const kept = [...timeline.records.values()].sort(newestFirst).slice(0, add.trimTo);
      timeline.records = new Map(kept.map((stored) => [stored.key, stored]));
    }
    if (touch) this.#touched.set(add.key, now);

    // A burst mostly hits ready keys, whose schedule never changes: no allocation.
    if (this.#ready.has(add.key)) return false;
    const waitingScore = this.#waiting.get(add.key);
    const after = scheduleAfterAdd({
      before:
        waitingScore === undefined
          ? { state: 'absent' }
          : { state: 'waiting', score: waitingScore },
      timestamp: add.record.timestamp,
      lastProcessed: timeline.lastProcessed,
      incrementDelay: add.incrementDelay,
      maximumDelay: add.maximumDelay,
      ...(add.dueAt === undefined ? {} : { dueAt: add.dueAt }),
      ...(add.flushThreshold === undefined
        ? {}
        : {
            flushThreshold: add.flushThreshold,
            size: timeline.records.size + (timeline.snapshot?.size ?? 0),
          }),
      now,
    });
    if (after.state === 'ready') {
      this.#waiting.delete(add.key);
      this.#ready.set(add.key, after.score);
    } else {
      this.#waiting.set(add.key, after.score);
    }
    return after.first;
  }

  async open(request: OpenRequest): Promise<OpenResult> {
    const { key, now } = request;
    const timeline = this.#timelines.get(key);
    if (leaseHeld(timeline, now)) return { outcome: 'conflict' };
    if (timeline === undefined || !this.#ready.has(key)) return { outcome: 'not-ready' };

    // Merge: a record key in both keeps the newer (the timeline's on a tie).
    const merged = timeline.snapshot ?? new Map<string, StoredRecord>();
    for (const record of timeline.records.values()) {
      const existing = merged.get(record.key);
      if (existing === undefined || record.timestamp >= existing.timestamp) {
        merged.set(record.key, record);
      }
    }
    let newest = [...merged.values()].sort(newestFirst);
    if (request.capacity !== undefined && newest.length > request.capacity) {
      newest = newest.slice(0, request.capacity);
      timeline.snapshot = new Map(newest.map((stored) => [stored.key, stored]));
    } else {
      timeline.snapshot = merged;
    }
    timeline.records = new Map();
    timeline.lease = { token: request.token, expiresAt: request.expiresAt };
    if (request.touch) this.#touched.set(key, now);

    const { limit } = request;
    const records = limit === undefined || newest.length <= limit ? newest : newest.slice(-limit);
    return { outcome: 'opened', records };
  }

  async renew(key: string, token: string, expiresAt: number): Promise<boolean> {
    const timeline = this.#owned(key, token);
    if (timeline?.lease === undefined) return false;
    timeline.lease.expiresAt = expiresAt;
    return true;
  }

  async release(key: string, token: string): Promise<void> {
    const timeline = this.#owned(key, token);
    if (timeline !== undefined) timeline.lease = undefined;
  }

  async quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void> {
    const timeline = this.#owned(key, token);
    if (timeline?.snapshot === undefined) return;
    for (const recordKey of recordKeys) {
      const record = timeline.snapshot.get(recordKey);
      if (record === undefined) continue;
      timeline.snapshot.delete(recordKey);
      timeline.quarantine ??= new Map();
      timeline.quarantine.set(recordKey, record);
    }
  }

  async commit(request: CommitRequest): Promise<boolean> {
    const { key, now, touch } = request;
    const timeline = this.#owned(key, request.token);
    if (timeline === undefined) return false;
    const snapshot = timeline.snapshot ?? new Map<string, StoredRecord>();
    let delivered: number;
    if (request.delivered === undefined) {
      delivered = snapshot.size;
      snapshot.clear();
    } else {
      delivered = 0;
      for (const recordKey of request.delivered) if (snapshot.delete(recordKey)) delivered++;
    }
    timeline.snapshot = snapshot.size > 0 ? snapshot : undefined;
    timeline.lease = undefined;
    if (timeline.snapshot !== undefined) {
      // A limited digest left records behind: the key stays ready, at once.
      timeline.lastProcessed = now;
    } else if (delivered > 0 || timeline.records.size > 0) {
      timeline.lastProcessed = now;
      this.#ready.delete(key);
      this.#waiting.set(key, now + request.minimumDelay);
    } else {
      this.#unschedule(key, timeline);
      return true;
    }
    if (touch) this.#touched.set(key, now);
    return true;
  }

  async claim(deadline: number, limit: number): Promise<ScheduleEntry[]> {
    const chunk: ScheduleEntry[] = [];
    while (chunk.length < limit) {
      const top = this.#waiting.peek();
      if (top === undefined || top.score > deadline) break;
      this.#waiting.delete(top.key);
      this.#ready.set(top.key, top.score);
      chunk.push({ key: top.key, timestamp: top.score });
    }
    return chunk;
  }

  async requeue(deadline: number, now: number): Promise<number> {
    const leased: { key: string; score: number }[] = [];
    let moved = 0;
    for (let top = this.#ready.peek(); top !== undefined && top.score <= deadline; ) {
      this.#ready.delete(top.key);
      if (leaseHeld(this.#timelines.get(top.key), now)) {
        leased.push(top);
      } else {
        this.#waiting.set(top.key, top.score);
        moved++;
      }
      top = this.#ready.peek();
    }
    for (const { key, score } of leased) this.#ready.set(key, score);
    return moved;
  }

  async expire(touchedBefore: number, now: number): Promise<number> {
    const leased: { key: string; score: number }[] = [];
    let expired = 0;
    for (let top = this.#touched.peek(); top !== undefined && top.score <= touchedBefore; ) {
      if (leaseHeld(this.#timelines.get(top.key), now)) {
        this.#touched.delete(top.key);
        leased.push(top);
      } else {
        this.#forget(top.key);
        expired++;
      }
      top = this.#touched.peek();
    }
    for (const { key, score } of leased) this.#touched.set(key, score);
    return expired;
  }

  async flush(key: string, now: number): Promise<void> {
    if (this.#waiting.delete(key)) this.#ready.set(key, now);
  }

  async delete(key: string): Promise<void> {
    this.#forget(key);
  }

  async inspect(key: string): Promise<StoreInfo> {
    const timeline = this.#timelines.get(key);
    const size = sizeOf(timeline);
    const quarantined = timeline?.quarantine?.size ?? 0;
    const lastProcessed = timeline?.lastProcessed;
    const last = lastProcessed === undefined ? {} : { lastProcessed };
    const readyScore = this.#ready.get(key);
    if (readyScore !== undefined) {
      return { state: 'ready', score: readyScore, size, quarantined, ...last };
    }
    const waitingScore = this.#waiting.get(key);
    if (waitingScore !== undefined) {
      return { state: 'waiting', score: waitingScore, size, quarantined, ...last };
    }
    return { state: 'absent', size, quarantined, ...last };
  }

  async remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    const timeline = this.#timelines.get(key);
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

  /** O(n log n) over the keys of the state asked for: fine for an in-process store. */
  async list(request: ListRequest): Promise<ListEntry[]> {
    const { after, state, limit } = request;
    const entries: ListEntry[] = [];
    const collect = (index: ScheduleIndex, entryState: 'waiting' | 'ready') => {
      for (const [key, score] of index.entries()) {
        if (after !== undefined && compareListPositions({ score, key }, after) <= 0) continue;
        entries.push({ key, state: entryState, score, size: sizeOf(this.#timelines.get(key)) });
      }
    };
    if (state !== 'ready') collect(this.#waiting, 'waiting');
    if (state !== 'waiting') collect(this.#ready, 'ready');
    return entries.sort(compareListPositions).slice(0, limit);
  }

  /** O(n log n) over the key's records: fine for an in-process store. */
  async peek(key: string, request: PeekRequest): Promise<PeekedStoredRecord[]> {
    const timeline = this.#timelines.get(key);
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

  async quarantined(key: string): Promise<StoredRecord[]> {
    const quarantine = this.#timelines.get(key)?.quarantine;
    if (quarantine === undefined) return [];
    return [...quarantine.values()].sort((a, b) => newestFirst(b, a));
  }

  async deleteQuarantined(key: string, recordKeys: readonly string[] | undefined): Promise<number> {
    const timeline = this.#timelines.get(key);
    const quarantine = timeline?.quarantine;
    if (timeline === undefined || quarantine === undefined) return 0;
    let deleted = 0;
    if (recordKeys === undefined) {
      deleted = quarantine.size;
      quarantine.clear();
    } else {
      for (const recordKey of recordKeys) if (quarantine.delete(recordKey)) deleted++;
    }
    if (quarantine.size === 0) timeline.quarantine = undefined;
    this.#dropIfEmpty(key, timeline);
    return deleted;
  }

  /** Counts keys per state and records held; O(n) over timelines. */
  async stats(): Promise<BackendStats> {
    let records = 0;
    for (const timeline of this.#timelines.values()) records += sizeOf(timeline);
    const next = this.#waiting.peek();
    return {
      waiting: this.#waiting.size,
      ready: this.#ready.size,
      records,
      ...(next === undefined ? {} : { oldestDue: next.score }),
    };
  }

  async storedItems(): Promise<number> {
    return this.#timelines.size + this.#waiting.size + this.#ready.size + this.#touched.size;
  }

  async close(): Promise<void> {
    this.#timelines.clear();
    this.#waiting.clear();
    this.#ready.clear();
    this.#touched.clear();
  }

  #owned(key: string, token: string): Timeline | undefined {
    const timeline = this.#timelines.get(key);
    return timeline?.lease?.token === token ? timeline : undefined;
  }

  /** A successful empty digest: the key becomes absent, L is forgotten. */
  #unschedule(key: string, timeline: Timeline): void {
    this.#waiting.delete(key);
    this.#ready.delete(key);
    this.#touched.delete(key);
    if (timeline.quarantine === undefined) {
      this.#timelines.delete(key);
    } else {
      // Quarantined values outlive the schedule until an operator deletes them.
      timeline.lastProcessed = undefined;
    }
  }

  /** Drops a timeline that holds nothing and is in no state (after its quarantine is emptied). */
  #dropIfEmpty(key: string, timeline: Timeline): void {
    if (
      timeline.records.size === 0 &&
      timeline.snapshot === undefined &&
      timeline.quarantine === undefined &&
      timeline.lease === undefined &&
      !this.#waiting.has(key) &&
      !this.#ready.has(key)
    ) {
      this.#timelines.delete(key);
      this.#touched.delete(key);
    }
  }

  #forget(key: string): void {
    this.#timelines.delete(key);
    this.#waiting.delete(key);
    this.#ready.delete(key);
    this.#touched.delete(key);
  }
}

function leaseHeld(timeline: Timeline | undefined, now: number): boolean {
  return timeline?.lease !== undefined && timeline.lease.expiresAt > now;
}

function sizeOf(timeline: Timeline | undefined): number {
  return timeline === undefined ? 0 : timeline.records.size + (timeline.snapshot?.size ?? 0);
}
