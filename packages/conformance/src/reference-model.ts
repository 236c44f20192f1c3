import type { ScheduleEntry, TimelineInfo, TimelineRecord } from '@digests/core';
import { InvalidStateError, LeaseConflictError, LeaseLostError } from '@digests/core';

// The model's own arithmetic, merge and ordering: nothing of these is shared
// with a store, so a bug in the stores' helpers shows up as a mismatch.

/** Compares two strings by Unicode code point (what UTF-8 byte order gives). */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) < (y[i] as number) ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** Newest first; equal timestamps by record key, descending. */
function modelNewestFirst(a: TimelineRecord, b: TimelineRecord): number {
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp ? -1 : 1;
  return byCodePoint(b.key, a.key);
}

/** Oldest first; equal timestamps by record key, ascending (the order `limit` takes). */
function modelOldestFirst(a: TimelineRecord, b: TimelineRecord): number {
  return -modelNewestFirst(a, b);
}

/** Earliest score first; equal scores by key, ascending. */
function modelEarliestFirst(a: ScheduleEntry, b: ScheduleEntry): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  return byCodePoint(a.key, b.key);
}

/** The left-over snapshot merged with the timeline: per record key the newer wins (the timeline on a tie). */
function modelMerge(
  leftOver: Map<string, TimelineRecord>,
  timeline: Map<string, TimelineRecord>,
  capacity: number | undefined,
): TimelineRecord[] {
  const merged = new Map(leftOver);
  for (const [key, record] of timeline) {
    const old = merged.get(key);
    if (old === undefined || !(old.timestamp > record.timestamp)) merged.set(key, record);
  }
  const sorted = [...merged.values()].sort(modelNewestFirst);
  return capacity === undefined ? sorted : sorted.slice(0, capacity);
}

/** Per-call add options the model understands. */
export interface ModelAddOptions {
  readonly incrementDelay?: number;
  readonly maximumDelay?: number;
  readonly dueAt?: number;
  readonly flushThreshold?: number;
}

/**
 * The options the reference model understands. Only deterministic ones:
 * `truncationChance` is 0 or 1 (a fractional chance would draw differently
 * from the backend) and there is no `ttl`. Leases expire `leaseDuration`
 * after a digest opened, by the model's clock (nothing renews them).
 */
export interface ModelOptions {
  readonly minimumDelay: number;
  readonly incrementDelay: number;
  readonly maximumDelay: number;
  readonly capacity?: number;
  /** 0 or 1; only with `capacity`. */
  readonly truncationChance?: 0 | 1;
  /** Default: an hour, which no sequence reaches. */
  readonly leaseDuration?: number;
  readonly flushThreshold?: number;
}

/** The default `leaseDuration` of the model (and of the backends it is compared with). */
export const MODEL_LEASE_DURATION = 3_600_000;

/** One timeline as SPEC describes it, in plain maps. */
interface ModelTimeline {
  records: Map<string, TimelineRecord>;
  /** Records a failed digest left behind (or the open digest's snapshot). */
  snapshot: Map<string, TimelineRecord>;
  lastProcessed: number | undefined;
  state: 'waiting' | 'ready';
  score: number;
  /** The lease of the last digest that took it; held while `expiresAt > now`. */
  lease: { token: number; expiresAt: number } | undefined;
}

/** A digest the model opened: what `fn` must be handed, and the timeline it holds. */
export interface ModelDigest {
  readonly key: string;
  readonly records: readonly TimelineRecord[];
  readonly minimumDelay: number;
  /** The record keys handed to `fn` (a limited digest hands only some). */
  readonly handed: readonly string[];
  readonly timeline: ModelTimeline;
  readonly token: number;
}

/** The error class an operation must reject with. */
export type ExpectedError =
  | typeof InvalidStateError
  | typeof LeaseConflictError
  | typeof LeaseLostError;

/**
 * A small, deliberately plain model of SPEC for one backend: maps and sorts,
 * no heap, no cleverness. The model-based conformance runs the same commands
 * against it and a real backend and compares every observable result.
 * Operations are synchronous; a digest is split into {@link openDigest} and
 * {@link finishDigest} so that commands can run while `fn` runs.
 *
 * @example
 * ```ts
 * const model = new ReferenceModel({ minimumDelay: 100, incrementDelay: 30, maximumDelay: 500 }, () => now);
 * model.add('t', { key: 'a', value: 1, timestamp: now }); // true: absent → ready
 * const open = model.openDigest('t');
 * if (!('error' in open)) model.finishDigest(open, true); // → { ok: true }
 * model.inspect('t'); // { state: 'waiting', score: now + 100, size: 0, lastProcessed: now }
 * ```
 */
export class ReferenceModel {
  readonly #options: ModelOptions;
  readonly #clock: () => number;
  readonly #timelines = new Map<string, ModelTimeline>();
  #tokens = 0;

  constructor(options: ModelOptions, clock: () => number) {
    this.#options = options;
    this.#clock = clock;
  }

  /** Contract add.1–8: store (replacing a record key), maybe trim, update the schedule. */
  add(key: string, record: TimelineRecord, options: ModelAddOptions = {}): boolean {
    const existing = this.#timelines.get(key);
    const timeline: ModelTimeline = existing ?? {
      records: new Map(),
      snapshot: new Map(),
      lastProcessed: undefined,
      state: 'ready',
      score: record.timestamp,
      lease: undefined,
    };
    timeline.records.set(record.key, record);
    const { capacity, truncationChance } = this.#options;
    const truncates = capacity !== undefined && (truncationChance ?? 1 / capacity) === 1;
    if (truncates && timeline.records.size > capacity) {
      const kept = [...timeline.records.values()].sort(modelNewestFirst).slice(0, capacity);
      timeline.records = new Map(kept.map((r) => [r.key, r]));
    }
    this.#timelines.set(key, timeline);
    const now = this.#clock();
    const { dueAt } = options;
    let first: boolean;
    if (existing === undefined) {
      // absent: ready at once (at the record's time, or at a dueAt that has passed), else wait for dueAt
      if (dueAt === undefined || dueAt <= now) {
        timeline.state = 'ready';
        timeline.score = dueAt ?? record.timestamp;
        first = true;
      } else {
        timeline.state = 'waiting';
        timeline.score = dueAt;
        first = false;
      }
    } else {
      first = false;
      if (timeline.state === 'waiting') {
        if (dueAt !== undefined) {
          timeline.score = Math.min(timeline.score, dueAt);
        } else if (timeline.lastProcessed === undefined) {
          timeline.score = Math.min(timeline.score, record.timestamp);
        } else {
          const increment = options.incrementDelay ?? this.#options.incrementDelay;
          const maximum = options.maximumDelay ?? this.#options.maximumDelay;
          timeline.score = Math.min(timeline.score + increment, timeline.lastProcessed + maximum);
        }
      }
    }
    const threshold = options.flushThreshold ?? this.#options.flushThreshold;
    const held = timeline.records.size + timeline.snapshot.size;
    if (timeline.state === 'waiting' && threshold !== undefined && held >= threshold) {
      timeline.state = 'ready';
      timeline.score = now;
      first = true;
    }
    return first;
  }

  /** Contract remove.1–3: drop named records from the timeline and a snapshot nobody holds. */
  remove(key: string, recordKeys: readonly string[]): number {
    const timeline = this.#timelines.get(key);
    if (timeline === undefined) return 0;
    let removed = 0;
    const snapshotFree = !this.#held(timeline);
    for (const recordKey of new Set(recordKeys)) {
      if (timeline.records.delete(recordKey)) removed++;
      if (snapshotFree && timeline.snapshot.delete(recordKey)) removed++;
    }
    return removed;
  }

  /** SPEC `schedule`: every waiting key due by `deadline` becomes ready, earliest first. */
  schedule(deadline: number): ScheduleEntry[] {
    const due: ScheduleEntry[] = [];
    for (const [key, timeline] of this.#timelines) {
      if (timeline.state === 'waiting' && timeline.score <= deadline) {
        due.push({ key, timestamp: timeline.score });
      }
    }
    due.sort(modelEarliestFirst);
    for (const { key } of due) (this.#timelines.get(key) as ModelTimeline).state = 'ready';
    return due;
  }

  /** SPEC `maintenance`: ready keys due by `deadline` whose lease is free go back to waiting. */
  maintenance(deadline: number): number {
    let moved = 0;
    for (const timeline of this.#timelines.values()) {
      if (timeline.state === 'ready' && timeline.score <= deadline && !this.#held(timeline)) {
        timeline.state = 'waiting';
        moved++;
      }
    }
    return moved;
  }

  /** SPEC `flush`: a waiting key becomes ready with score now. */
  flush(key: string): void {
    const timeline = this.#timelines.get(key);
    if (timeline?.state === 'waiting') {
      timeline.state = 'ready';
      timeline.score = this.#clock();
    }
  }

  /** SPEC `delete`: forgets everything, including an open digest's lease. */
  delete(key: string): void {
    this.#timelines.delete(key);
  }

  /** SPEC `inspect`, without fields that are `undefined`. */
  inspect(key: string): TimelineInfo {
    const timeline = this.#timelines.get(key);
    if (timeline === undefined) return { state: 'absent', size: 0 };
    const size = timeline.records.size + timeline.snapshot.size;
    return {
      state: timeline.state,
      score: timeline.score,
      size,
      ...(timeline.lastProcessed === undefined ? {} : { lastProcessed: timeline.lastProcessed }),
    };
  }

  /** SPEC `digest` steps 1–3: the lease, the state check and the merged snapshot. */
  openDigest(
    key: string,
    minimumDelay?: number,
    limit?: number,
  ): ModelDigest | { error: ExpectedError } {
    const timeline = this.#timelines.get(key);
    if (timeline !== undefined && this.#held(timeline)) return { error: LeaseConflictError };
    if (timeline === undefined || timeline.state !== 'ready') return { error: InvalidStateError };
    const merged = modelMerge(timeline.snapshot, timeline.records, this.#options.capacity);
    const handed =
      limit === undefined
        ? merged
        : [...merged].sort(modelOldestFirst).slice(0, limit).sort(modelNewestFirst);
    timeline.snapshot = new Map(merged.map((r) => [r.key, r]));
    timeline.records = new Map();
    const token = ++this.#tokens;
    timeline.lease = {
      token,
      expiresAt: this.#clock() + (this.#options.leaseDuration ?? MODEL_LEASE_DURATION),
    };
    return {
      key,
      records: handed,
      handed: handed.map((r) => r.key),
      minimumDelay: minimumDelay ?? this.#options.minimumDelay,
      timeline,
      token,
    };
  }

  /**
   * SPEC `digest` steps 5–7 once `fn` settled: on failure the lease is
   * released and the records stay; on success exactly the snapshot goes, or
   * `LeaseLostError` when the timeline was deleted or another digest took
   * the (expired) lease meanwhile.
   */
  finishDigest(digest: ModelDigest, succeeded: boolean): { ok: true } | { error: ExpectedError } {
    const { timeline } = digest;
    // Ours unless deleted or taken by another digest; merely expired is still ours.
    const ours =
      this.#timelines.get(digest.key) === timeline && timeline.lease?.token === digest.token;
    if (!succeeded) {
      if (ours) timeline.lease = undefined;
      return { ok: true };
    }
    if (!ours) return { error: LeaseLostError };
    let delivered = false;
    for (const recordKey of digest.handed) {
      if (timeline.snapshot.delete(recordKey)) delivered = true;
    }
    timeline.lease = undefined;
    if (timeline.snapshot.size > 0) {
      // A limited digest left records: the key stays ready (score kept), L = now.
      timeline.lastProcessed = this.#clock();
    } else if (delivered || timeline.records.size > 0) {
      const now = this.#clock();
      timeline.lastProcessed = now;
      timeline.state = 'waiting';
      timeline.score = now + digest.minimumDelay;
    } else {
      this.#timelines.delete(digest.key);
    }
    return { ok: true };
  }

  #held(timeline: ModelTimeline): boolean {
    return timeline.lease !== undefined && timeline.lease.expiresAt > this.#clock();
  }
}
