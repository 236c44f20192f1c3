/**
 * A complete digests store, written the plainest way: one Map of timelines
 * and linear scans. It is what `docs/writing-a-store.md` walks through —
 * swap each Map for your store's tables or keys, keep each method one
 * atomic step (one transaction, one script), and the conformance kit tells
 * you whether you got the rules right.
 */
import {
  type BackendOptions,
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
  StoreBackend,
  type StoreContext,
  type StoredRecord,
  type StoreInfo,
  scheduleAfterAdd,
} from '@digests/core';

interface Timeline {
  state: 'waiting' | 'ready' | 'absent';
  score: number;
  records: Map<string, StoredRecord>;
  snapshot: Map<string, StoredRecord>;
  quarantine: Map<string, StoredRecord>;
  lastProcessed?: number;
  lease?: { token: string; expiresAt: number };
  touched?: number;
}

const newestFirst = (a: StoredRecord, b: StoredRecord) =>
  b.timestamp - a.timestamp || compareCodePoints(b.key, a.key);

/** The store: every method is synchronous inside, so each step is atomic. */
export class TutorialStore implements DigestStore {
  readonly description = 'the tutorial store';
  readonly #timelines = new Map<string, Timeline>();

  async add(adds: readonly StoreAdd[], { now, touch }: StoreContext): Promise<boolean[]> {
    return adds.map((add) => {
      const t = this.#timeline(add.key);
      t.records.set(add.record.key, add.record);
      if (add.trimTo !== undefined && t.records.size > add.trimTo) {
        const kept = [...t.records.values()].sort(newestFirst).slice(0, add.trimTo);
        t.records = new Map(kept.map((r) => [r.key, r]));
      }
      if (touch) t.touched = now;
      const after = scheduleAfterAdd({
        before: t.state === 'absent' ? { state: 'absent' } : { state: t.state, score: t.score },
        timestamp: add.record.timestamp,
        lastProcessed: t.lastProcessed,
        incrementDelay: add.incrementDelay,
        maximumDelay: add.maximumDelay,
        dueAt: add.dueAt,
        flushThreshold: add.flushThreshold,
        size: t.records.size + t.snapshot.size,
        now,
      });
      t.state = after.state;
      t.score = after.score;
      return after.first;
    });
  }

  async open(request: OpenRequest): Promise<OpenResult> {
    const t = this.#timelines.get(request.key);
    if (t && held(t, request.now)) return { outcome: 'conflict' };
    if (t?.state !== 'ready') return { outcome: 'not-ready' };
    for (const record of t.records.values()) {
      const old = t.snapshot.get(record.key);
      if (!old || record.timestamp >= old.timestamp) t.snapshot.set(record.key, record);
    }
    t.records = new Map();
    let all = [...t.snapshot.values()].sort(newestFirst);
    if (request.capacity !== undefined && all.length > request.capacity) {
      all = all.slice(0, request.capacity);
      t.snapshot = new Map(all.map((r) => [r.key, r]));
    }
    t.lease = { token: request.token, expiresAt: request.expiresAt };
    if (request.touch) t.touched = request.now;
    const { limit } = request;
    return { outcome: 'opened', records: limit && all.length > limit ? all.slice(-limit) : all };
  }

  async renew(key: string, token: string, expiresAt: number): Promise<boolean> {
    const t = this.#owned(key, token);
    if (t?.lease) t.lease.expiresAt = expiresAt;
    return t !== undefined;
  }

  async release(key: string, token: string): Promise<void> {
    const t = this.#owned(key, token);
    if (t) t.lease = undefined;
  }

  async quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void> {
    const t = this.#owned(key, token);
    for (const recordKey of t ? recordKeys : []) {
      const record = t?.snapshot.get(recordKey);
      if (t && record) {
        t.snapshot.delete(recordKey);
        t.quarantine.set(recordKey, record);
      }
    }
  }

  async commit(request: CommitRequest): Promise<boolean> {
    const t = this.#owned(request.key, request.token);
    if (!t) return false;
    let delivered = 0;
    for (const recordKey of request.delivered ?? [...t.snapshot.keys()]) {
      if (t.snapshot.delete(recordKey)) delivered++;
    }
    t.lease = undefined;
    if (request.touch) t.touched = request.now;
    if (t.snapshot.size > 0) {
      t.lastProcessed = request.now; // a limited digest left records: stay ready
    } else if (delivered > 0 || t.records.size > 0) {
      t.lastProcessed = request.now;
      t.state = 'waiting';
      t.score = request.now + request.minimumDelay;
    } else {
      t.state = 'absent';
      t.lastProcessed = undefined;
      this.#dropIfEmpty(request.key, t);
    }
    return true;
  }

  async claim(deadline: number, limit: number): Promise<ScheduleEntry[]> {
    const due = this.#entries('waiting').filter((e) => e.score <= deadline);
    return due.slice(0, limit).map((e) => {
      this.#timelines.get(e.key)!.state = 'ready';
      return { key: e.key, timestamp: e.score };
    });
  }

  async requeue(deadline: number, now: number): Promise<number> {
    let moved = 0;
    for (const t of this.#timelines.values()) {
      if (t.state === 'ready' && t.score <= deadline && !held(t, now)) {
        t.state = 'waiting';
        moved++;
      }
    }
    return moved;
  }

  async expire(touchedBefore: number, now: number): Promise<number> {
    let expired = 0;
    for (const [key, t] of this.#timelines) {
      if (t.touched !== undefined && t.touched <= touchedBefore && !held(t, now)) {
        this.#timelines.delete(key);
        expired++;
      }
    }
    return expired;
  }

  async flush(key: string, now: number): Promise<void> {
    const t = this.#timelines.get(key);
    if (t?.state === 'waiting') Object.assign(t, { state: 'ready', score: now });
  }

  async delete(key: string): Promise<void> {
    this.#timelines.delete(key);
  }

  async inspect(key: string): Promise<StoreInfo> {
    const t = this.#timelines.get(key);
    if (!t) return { state: 'absent', size: 0, quarantined: 0 };
    return {
      state: t.state,
      ...(t.state === 'absent' ? {} : { score: t.score }),
      size: t.records.size + t.snapshot.size,
      quarantined: t.quarantine.size,
      ...(t.lastProcessed === undefined ? {} : { lastProcessed: t.lastProcessed }),
    };
  }

  async remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    const t = this.#timelines.get(key);
    let removed = 0;
    for (const recordKey of t ? recordKeys : []) {
      if (t?.records.delete(recordKey)) removed++;
      if (t && !held(t, now) && t.snapshot.delete(recordKey)) removed++;
    }
    return removed;
  }

  async list({ state, after, limit }: ListRequest): Promise<ListEntry[]> {
    const states = state ? [state] : (['waiting', 'ready'] as const);
    return states
      .flatMap((s) => this.#entries(s))
      .filter((e) => !after || compareListPositions(e, after) > 0)
      .sort(compareListPositions)
      .slice(0, limit);
  }

  async peek(key: string, { after, limit }: PeekRequest): Promise<PeekedStoredRecord[]> {
    const t = this.#timelines.get(key);
    if (!t) return [];
    return [
      ...[...t.records.values()].map((r) => ({ ...r, inSnapshot: false })),
      ...[...t.snapshot.values()].map((r) => ({ ...r, inSnapshot: true })),
    ]
      .filter((r) => !after || comparePeekPositions(r, after) > 0)
      .sort(comparePeekPositions)
      .slice(0, limit);
  }

  async quarantined(key: string): Promise<StoredRecord[]> {
    const quarantine = this.#timelines.get(key)?.quarantine ?? new Map();
    return [...quarantine.values()].sort((a, b) => newestFirst(b, a));
  }

  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    const t = this.#timelines.get(key);
    if (!t) return 0;
    let deleted = 0;
    for (const recordKey of recordKeys ?? [...t.quarantine.keys()]) {
      if (t.quarantine.delete(recordKey)) deleted++;
    }
    this.#dropIfEmpty(key, t);
    return deleted;
  }

  async storedItems(): Promise<number> {
    return this.#timelines.size;
  }

  async close(): Promise<void> {
    this.#timelines.clear();
  }

  #timeline(key: string): Timeline {
    let t = this.#timelines.get(key);
    if (!t) {
      t = {
        state: 'absent',
        score: 0,
        records: new Map(),
        snapshot: new Map(),
        quarantine: new Map(),
      };
      this.#timelines.set(key, t);
    }
    return t;
  }

  #owned(key: string, token: string): Timeline | undefined {
    const t = this.#timelines.get(key);
    return t?.lease?.token === token ? t : undefined;
  }

  #entries(state: 'waiting' | 'ready'): ListEntry[] {
    const entries: ListEntry[] = [];
    for (const [key, t] of this.#timelines) {
      if (t.state === state) {
        entries.push({ key, state, score: t.score, size: t.records.size + t.snapshot.size });
      }
    }
    return entries.sort(compareListPositions);
  }

  #dropIfEmpty(key: string, t: Timeline): void {
    const empty = t.records.size + t.snapshot.size + t.quarantine.size === 0;
    if (empty && t.state === 'absent' && !t.lease) this.#timelines.delete(key);
  }
}

/** The backend users construct: the front from `@digests/core` over the store. */
export class TutorialBackend<V = unknown> extends StoreBackend<V> {
  constructor(options: BackendOptions<V> = {}) {
    super(new TutorialStore(), options);
  }
}

/** A lease counts until it expires; an expired lease may be taken by the next digest. */
function held(t: Timeline, now: number): boolean {
  return t.lease !== undefined && t.lease.expiresAt > now;
}
