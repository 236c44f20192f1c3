import {
  type BackendStats,
  type CommitRequest,
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
import {
  countKeys,
  inspectKey,
  listKeys,
  type MemoryView,
  peekRecords,
  quarantinedRecords,
} from './memory-reads.js';
import { claimDue, expireUntouched, requeueDue } from './memory-sweeps.js';
import {
  emptyTimeline,
  keepNewest,
  leaseHeld,
  type MemoryTimeline,
  openSnapshot,
  removeRecords,
} from './memory-timeline.js';
import { ScheduleIndex } from './schedule-index.js';

/**
 * The reference {@link DigestStore}: every step is synchronous inside, so it
 * is atomic by construction (no await between a read and its write). The
 * schedule lives in three indexed heaps (waiting, ready, last touch), so
 * `claim` and `requeue` cost O(k log n) for k due keys, never a scan. The
 * read-only steps are in `memory-reads.ts`.
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
  readonly #timelines = new Map<string, MemoryTimeline>();
  readonly #waiting = new ScheduleIndex();
  readonly #ready = new ScheduleIndex();
  /** Last touch per key; kept only when the front asks for ttl bookkeeping. */
  readonly #touched = new ScheduleIndex();
  readonly #view: MemoryView = {
    timelines: this.#timelines,
    waiting: this.#waiting,
    ready: this.#ready,
  };

  async add(adds: readonly StoreAdd[], context: StoreContext): Promise<boolean[]> {
    const firsts: boolean[] = [];
    for (const add of adds) firsts.push(this.#add(add, context));
    return firsts;
  }

  async addOne(add: StoreAdd, context: StoreContext): Promise<boolean> {
    return this.#add(add, context);
  }

  #add(add: StoreAdd, context: StoreContext): boolean {
    const { key, record } = add;
    let timeline = this.#timelines.get(key);
    if (timeline === undefined) {
      timeline = emptyTimeline();
      this.#timelines.set(key, timeline);
    }
    // Replacing keeps the map's insertion order; digests sort anyway.
    timeline.records.set(record.key, record);
    if (add.trimTo !== undefined && timeline.records.size > add.trimTo) {
      timeline.records = keepNewest(timeline.records.values(), add.trimTo);
    }
    if (context.touch) this.#touched.set(key, context.now);

    // A burst mostly hits ready keys, whose schedule never changes: no allocation.
    if (this.#ready.has(key)) return false;
    const waitingScore = this.#waiting.get(key);
    const after = scheduleAfterAdd({
      before:
        waitingScore === undefined
          ? { state: 'absent' }
          : { state: 'waiting', score: waitingScore },
      timestamp: record.timestamp,
      lastProcessed: timeline.lastProcessed,
      incrementDelay: add.incrementDelay,
      maximumDelay: add.maximumDelay,
      dueAt: add.dueAt,
      flushThreshold: add.flushThreshold,
      size: timeline.records.size + (timeline.snapshot?.size ?? 0),
      now: context.now,
    });
    if (after.state === 'ready') {
      this.#waiting.delete(key);
      this.#ready.set(key, after.score);
    } else {
      this.#waiting.set(key, after.score);
    }
    return after.first;
  }

  async open(request: OpenRequest): Promise<OpenResult> {
    const { key, now } = request;
    const timeline = this.#timelines.get(key);
    if (leaseHeld(timeline, now)) return { outcome: 'conflict' };
    if (timeline === undefined || !this.#ready.has(key)) return { outcome: 'not-ready' };

    const newest = openSnapshot(timeline, request.capacity);
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
    return claimDue(this.#waiting, this.#ready, deadline, limit);
  }

  async requeue(deadline: number, now: number): Promise<number> {
    return requeueDue(this.#ready, this.#waiting, this.#timelines, deadline, now);
  }

  async expire(touchedBefore: number, now: number): Promise<number> {
    return expireUntouched(this.#touched, this.#timelines, touchedBefore, now, (key) =>
      this.#forget(key),
    );
  }

  async flush(key: string, now: number): Promise<void> {
    if (this.#waiting.delete(key)) this.#ready.set(key, now);
  }

  async delete(key: string): Promise<void> {
    this.#forget(key);
  }

  async inspect(key: string): Promise<StoreInfo> {
    return inspectKey(this.#view, key);
  }

  async remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    return removeRecords(this.#timelines.get(key), recordKeys, now);
  }

  async list(request: ListRequest): Promise<ListEntry[]> {
    return listKeys(this.#view, request);
  }

  async peek(key: string, request: PeekRequest): Promise<PeekedStoredRecord[]> {
    return peekRecords(this.#timelines.get(key), request);
  }

  async quarantined(key: string): Promise<StoredRecord[]> {
    return quarantinedRecords(this.#timelines.get(key));
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
    return countKeys(this.#view);
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

  #owned(key: string, token: string): MemoryTimeline | undefined {
    const timeline = this.#timelines.get(key);
    return timeline?.lease?.token === token ? timeline : undefined;
  }

  /** A successful empty digest: the key becomes absent, L is forgotten. */
  #unschedule(key: string, timeline: MemoryTimeline): void {
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
  #dropIfEmpty(key: string, timeline: MemoryTimeline): void {
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
