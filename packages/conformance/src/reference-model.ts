import type { ScheduleEntry, TimelineInfo, TimelineRecord } from '@digests/core';
import {
  earliestFirst,
  InvalidStateError,
  LeaseConflictError,
  LeaseLostError,
  mergeSnapshot,
  newestFirst,
  nextSchedule,
} from '@digests/core';

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

  /** SPEC `add`: store (replacing a record key), maybe trim, update the schedule. */
  add(
    key: string,
    record: TimelineRecord,
    options: { incrementDelay?: number; maximumDelay?: number } = {},
  ): boolean {
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
      const kept = [...timeline.records.values()].sort(newestFirst).slice(0, capacity);
      timeline.records = new Map(kept.map((r) => [r.key, r]));
    }
    const after = nextSchedule(
      existing === undefined
        ? { state: 'absent' }
        : { state: timeline.state, score: timeline.score },
      record.timestamp,
      timeline.lastProcessed,
      options.incrementDelay ?? this.#options.incrementDelay,
      options.maximumDelay ?? this.#options.maximumDelay,
    );
    timeline.state = after.state;
    timeline.score = after.score;
    this.#timelines.set(key, timeline);
    return after.first;
  }

  /** SPEC `schedule`: every waiting key due by `deadline` becomes ready, earliest first. */
  schedule(deadline: number): ScheduleEntry[] {
    const due: ScheduleEntry[] = [];
    for (const [key, timeline] of this.#timelines) {
      if (timeline.state === 'waiting' && timeline.score <= deadline) {
        due.push({ key, timestamp: timeline.score });
      }
    }
    due.sort(earliestFirst);
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
  openDigest(key: string, minimumDelay?: number): ModelDigest | { error: ExpectedError } {
    const timeline = this.#timelines.get(key);
    if (timeline !== undefined && this.#held(timeline)) return { error: LeaseConflictError };
    if (timeline === undefined || timeline.state !== 'ready') return { error: InvalidStateError };
    const merged = mergeSnapshot(
      timeline.snapshot.values(),
      timeline.records.values(),
      this.#options.capacity,
    );
    timeline.snapshot = new Map(merged.map((r) => [r.key, r]));
    timeline.records = new Map();
    const token = ++this.#tokens;
    timeline.lease = {
      token,
      expiresAt: this.#clock() + (this.#options.leaseDuration ?? MODEL_LEASE_DURATION),
    };
    return {
      key,
      records: merged,
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
    const delivered = timeline.snapshot.size > 0;
    timeline.snapshot = new Map();
    timeline.lease = undefined;
    if (delivered || timeline.records.size > 0) {
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
