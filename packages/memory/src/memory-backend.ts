import { randomUUID } from 'node:crypto';
import {
  type AddEntry,
  type AddManySource,
  type AddOptions,
  assertDeadline,
  assertValidKey,
  type Backend,
  type BackendOptions,
  type BackendStats,
  type CheckedAdd,
  checkAdd,
  checkAddMany,
  checkDigest,
  chunkSize,
  type DigestFunction,
  type DigestOptions,
  type DigestSession,
  decodeRecords,
  type EncodedValue,
  InvalidStateError,
  LeaseConflictError,
  LeaseLostError,
  mergeSnapshot,
  newestFirst,
  nextSchedule,
  type ResolvedOptions,
  resolveOptions,
  runLeasedDigest,
  type ScheduleEntry,
  type ScheduleOptions,
  type StatsSource,
  type TimelineInfo,
  type TimelineRecord,
} from '@digests/core';
import { ScheduleIndex } from './schedule-index.js';

type StoredRecord = TimelineRecord<EncodedValue>;

interface Timeline {
  records: Map<string, StoredRecord>;
  /** Records a failed digest left behind. */
  snapshot: Map<string, StoredRecord> | undefined;
  lastProcessed: number | undefined;
  lease: { token: string; expiresAt: number } | undefined;
}

/** Options of {@link MemoryBackend}: only the shared ones. */
export type MemoryBackendOptions<V = unknown> = BackendOptions<V>;

/**
 * A digests backend that lives in this process's memory. It is a product,
 * not a test double: single-process applications, tests and the embedded
 * default use it. Values are stored encoded, so the codec's checks apply and
 * callers never share objects with the store.
 *
 * Costs: `add` O(log n) (O(c log c) when it trims to capacity c),
 * `schedule` O(k log n) for k due keys, `maintenance` O(k log n) for k
 * stuck keys.
 *
 * @example
 * ```ts
 * import { MemoryBackend } from '@digests/memory';
 *
 * const backend = new MemoryBackend<{ text: string }>({ minimumDelay: 60_000 });
 * await backend.add('mail:p:1', { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() });
 * await backend.digest('mail:p:1', (records) => console.log(records));
 * ```
 */
export class MemoryBackend<V = unknown> implements Backend<V>, StatsSource, AddManySource<V> {
  readonly #options: ResolvedOptions<V>;
  readonly #timelines = new Map<string, Timeline>();
  readonly #waiting = new ScheduleIndex();
  readonly #ready = new ScheduleIndex();
  /** Last-touched time per key; kept only when `ttl` is set. */
  readonly #touched = new ScheduleIndex();

  constructor(options: MemoryBackendOptions<V> = {}) {
    this.#options = resolveOptions(options);
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    return this.#apply(checkAdd(key, record, options, this.#options));
  }

  /** Like `add` on each entry in order; every entry is validated before any is stored. */
  async addMany(entries: readonly AddEntry<V>[], options?: AddOptions): Promise<boolean[]> {
    const checked = checkAddMany(entries, options, this.#options);
    return checked.map((add) => this.#apply(add));
  }

  #apply(add: CheckedAdd): boolean {
    let timeline = this.#timelines.get(add.key);
    if (timeline === undefined) {
      timeline = {
        records: new Map(),
        snapshot: undefined,
        lastProcessed: undefined,
        lease: undefined,
      };
      this.#timelines.set(add.key, timeline);
    }
    // Replacing keeps the map's insertion order; digests sort anyway.
    timeline.records.set(add.recordKey, {
      key: add.recordKey,
      value: add.value,
      timestamp: add.timestamp,
    });
    const { capacity } = this.#options;
    if (add.truncate && capacity !== undefined && timeline.records.size > capacity) {
      const kept = [...timeline.records.values()].sort(newestFirst).slice(0, capacity);
      timeline.records = new Map(kept.map((stored) => [stored.key, stored]));
    }
    this.#touch(add.key);

    // A burst mostly hits ready keys, whose schedule never changes: no allocation.
    if (this.#ready.has(add.key)) return false;
    const waitingScore = this.#waiting.get(add.key);
    const before =
      waitingScore !== undefined
        ? ({ state: 'waiting', score: waitingScore } as const)
        : ({ state: 'absent' } as const);
    const after = nextSchedule(
      before,
      add.timestamp,
      timeline.lastProcessed,
      add.incrementDelay,
      add.maximumDelay,
    );
    if (after.state === 'ready') {
      this.#ready.set(add.key, after.score);
    } else {
      this.#waiting.set(add.key, after.score);
    }
    return after.first;
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    const checked = checkDigest(key, fn, options, this.#options);
    const session = this.#open(checked.key, checked.minimumDelay);
    return runLeasedDigest(session, fn, this.#options.leaseDuration);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    assertDeadline(deadline);
    const size = chunkSize(options?.chunkSize);
    return this.#schedule(deadline, size);
  }

  async *#schedule(deadline: number, size: number): AsyncGenerator<ScheduleEntry> {
    for (;;) {
      // Each chunk moves atomically (no await inside), like one Lua call.
      const chunk: ScheduleEntry[] = [];
      while (chunk.length < size) {
        const top = this.#waiting.peek();
        if (top === undefined || top.score > deadline) break;
        this.#waiting.delete(top.key);
        this.#ready.set(top.key, top.score);
        chunk.push({ key: top.key, timestamp: top.score });
      }
      if (chunk.length === 0) return;
      yield* chunk;
    }
  }

  async maintenance(deadline: number): Promise<number> {
    assertDeadline(deadline);
    const now = this.#options.clock();
    const leased: { key: string; score: number }[] = [];
    let moved = 0;
    for (let top = this.#ready.peek(); top !== undefined && top.score <= deadline; ) {
      this.#ready.delete(top.key);
      if (this.#leaseHeld(this.#timelines.get(top.key), now)) {
        leased.push(top);
      } else {
        this.#waiting.set(top.key, top.score);
        moved++;
      }
      top = this.#ready.peek();
    }
    for (const { key, score } of leased) this.#ready.set(key, score);
    this.#expire(now);
    return moved;
  }

  async flush(key: string): Promise<void> {
    assertValidKey(key);
    if (this.#waiting.delete(key)) this.#ready.set(key, this.#options.clock());
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    this.#forget(key);
  }

  async inspect(key: string): Promise<TimelineInfo> {
    assertValidKey(key);
    const timeline = this.#timelines.get(key);
    const size =
      timeline === undefined ? 0 : timeline.records.size + (timeline.snapshot?.size ?? 0);
    const lastProcessed = timeline?.lastProcessed;
    const extra = lastProcessed === undefined ? {} : { lastProcessed };
    const readyScore = this.#ready.get(key);
    if (readyScore !== undefined) return { state: 'ready', score: readyScore, size, ...extra };
    const waitingScore = this.#waiting.get(key);
    if (waitingScore !== undefined)
      return { state: 'waiting', score: waitingScore, size, ...extra };
    return { state: 'absent', size, ...extra };
  }

  async close(): Promise<void> {}

  /** Counts keys per state and records held; O(n) over timelines. */
  async stats(): Promise<BackendStats> {
    let records = 0;
    for (const timeline of this.#timelines.values()) {
      records += timeline.records.size + (timeline.snapshot?.size ?? 0);
    }
    const next = this.#waiting.peek();
    return {
      waiting: this.#waiting.size,
      ready: this.#ready.size,
      records,
      ...(next === undefined ? {} : { oldestDue: next.score }),
    };
  }

  /** How many timelines and schedule entries this backend holds (for leak checks). */
  get storedItems(): number {
    return this.#timelines.size + this.#waiting.size + this.#ready.size + this.#touched.size;
  }

  #open(key: string, minimumDelay: number): DigestSession<V> {
    const now = this.#options.clock();
    const timeline = this.#timelines.get(key);
    if (this.#leaseHeld(timeline, now)) {
      throw new LeaseConflictError(`another digest holds the lease of ${key}`);
    }
    if (timeline === undefined || !this.#ready.has(key)) {
      throw new InvalidStateError(`${key} is not ready`);
    }
    const merged = mergeSnapshot(
      timeline.snapshot?.values() ?? [],
      timeline.records.values(),
      this.#options.capacity,
    );
    timeline.snapshot = new Map(merged.map((stored) => [stored.key, stored]));
    timeline.records = new Map();
    const token = randomUUID();
    timeline.lease = { token, expiresAt: now + this.#options.leaseDuration };
    this.#touch(key);

    let records: TimelineRecord<V>[];
    try {
      records = decodeRecords(this.#options, merged);
    } catch (error) {
      timeline.lease = undefined;
      throw error;
    }
    const ours = (): Timeline | undefined => {
      const current = this.#timelines.get(key);
      return current?.lease?.token === token ? current : undefined;
    };
    return {
      records,
      renew: async () => {
        const current = ours();
        if (current?.lease)
          current.lease.expiresAt = this.#options.clock() + this.#options.leaseDuration;
        return current !== undefined;
      },
      release: async () => {
        const current = ours();
        if (current) current.lease = undefined;
      },
      commit: async () => {
        const current = ours();
        if (current === undefined) {
          throw new LeaseLostError(
            `the lease of ${key} was taken by another digest; nothing was removed`,
          );
        }
        const delivered = (current.snapshot?.size ?? 0) > 0;
        current.snapshot = undefined;
        current.lease = undefined;
        if (delivered || current.records.size > 0) {
          const at = this.#options.clock();
          current.lastProcessed = at;
          this.#ready.delete(key);
          this.#waiting.set(key, at + minimumDelay);
          this.#touch(key);
        } else {
          this.#forget(key);
        }
      },
    };
  }

  #leaseHeld(timeline: Timeline | undefined, now: number): boolean {
    return timeline?.lease !== undefined && timeline.lease.expiresAt > now;
  }

  #touch(key: string): void {
    if (this.#options.ttl !== undefined) this.#touched.set(key, this.#options.clock());
  }

  #expire(now: number): void {
    const { ttl } = this.#options;
    if (ttl === undefined) return;
    const leased: { key: string; score: number }[] = [];
    for (let top = this.#touched.peek(); top !== undefined && top.score <= now - ttl; ) {
      if (this.#leaseHeld(this.#timelines.get(top.key), now)) {
        this.#touched.delete(top.key);
        leased.push(top);
      } else {
        this.#forget(top.key);
      }
      top = this.#touched.peek();
    }
    for (const { key, score } of leased) this.#touched.set(key, score);
  }

  #forget(key: string): void {
    this.#timelines.delete(key);
    this.#waiting.delete(key);
    this.#ready.delete(key);
    this.#touched.delete(key);
  }
}
