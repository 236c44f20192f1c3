/**
 * The contract every digests backend implements — adapters (memory, Redis,
 * PostgreSQL, SQLite) and containers alike. `docs/contract.md` describes the
 * behaviour, rule by rule; the conformance kit (`@digests/conformance`) checks it.
 *
 * @module
 */

/**
 * One event stored in a timeline. `key` is unique within its timeline: adding a
 * record whose key exists replaces its value and timestamp.
 *
 * @example
 * ```ts
 * const record: TimelineRecord<{ issue: string }> = {
 *   key: 'event-81f2',
 *   value: { issue: 'TypeError in checkout' },
 *   timestamp: Date.now(),
 * };
 * ```
 */
export interface TimelineRecord<V = unknown> {
  readonly key: string;
  readonly value: V;
  /** Milliseconds since the epoch; any finite number. */
  readonly timestamp: number;
}

/**
 * A timeline key that `schedule()` moved from `waiting` to `ready`, with the
 * score it had (when it became due).
 *
 * @example
 * ```ts
 * for await (const { key, timestamp } of backend.schedule(Date.now())) {
 *   console.log(`${key} became due at ${new Date(timestamp).toISOString()}`);
 * }
 * ```
 */
export interface ScheduleEntry {
  readonly key: string;
  readonly timestamp: number;
}

/** Where a timeline stands in the schedule. */
export type TimelineState = 'absent' | 'waiting' | 'ready';

/**
 * What `inspect()` reports about one timeline.
 *
 * @example
 * ```ts
 * const info = await backend.inspect('mail:p:1');
 * if (info.state === 'waiting') console.log(`due at ${info.score}, ${info.size} records`);
 * ```
 */
export interface TimelineInfo {
  readonly state: TimelineState;
  /** The schedule score: when the key becomes due (`waiting`) or became due (`ready`). */
  readonly score?: number;
  /** Records in the timeline plus records in a snapshot left by a failed digest. */
  readonly size: number;
  /** When the timeline was last digested successfully (L), if known. */
  readonly lastProcessed?: number;
  /**
   * Stored values the codec could not decode, set aside by a digest (SPEC
   * digest step 9). Present only when there are some.
   */
  readonly quarantined?: number;
}

/**
 * Per-call overrides for {@link Backend.add}.
 *
 * @example
 * ```ts
 * // Deliver at 09:00 tomorrow, or as soon as 50 records have piled up.
 * await backend.add('mail:p:1', record, { dueAt: tomorrowAtNine, flushThreshold: 50 });
 * ```
 */
export interface AddOptions {
  readonly incrementDelay?: number;
  readonly maximumDelay?: number;
  /**
   * A fixed delivery time (finite, ms since the epoch) that replaces the
   * backoff rule for this add: an absent key waits until `dueAt` (or is
   * ready at once when `dueAt` ≤ now); a waiting key's score becomes
   * `min(score, dueAt)`; a ready key is unchanged.
   */
  readonly dueAt?: number;
  /**
   * When the add leaves a waiting key holding at least this many records
   * (timeline plus snapshot), the key becomes ready now and `add` resolves
   * `true`. An integer ≥ 1; overrides the backend's `flushThreshold`.
   */
  readonly flushThreshold?: number;
}

/**
 * Per-call overrides for {@link Backend.digest}.
 *
 * @example
 * ```ts
 * // At most 500 records per delivery; the rest go out in the next digest.
 * await backend.digest('mail:p:1', send, { limit: 500 });
 * ```
 */
export interface DigestOptions {
  readonly minimumDelay?: number;
  /**
   * Hand `fn` at most this many records (an integer ≥ 1): the oldest of the
   * snapshot, still newest first. Only those are removed on success; if any
   * remain the key stays ready.
   */
  readonly limit?: number;
}

/**
 * One key as {@link Backend.list} reports it.
 *
 * @example
 * ```ts
 * const { entries } = await backend.list({ state: 'ready' });
 * for (const { key, score, size } of entries) console.log(key, new Date(score), size);
 * ```
 */
export interface ListEntry {
  readonly key: string;
  readonly state: 'waiting' | 'ready';
  readonly score: number;
  /** Timeline plus snapshot records. */
  readonly size: number;
}

/**
 * Options of {@link Backend.list}.
 *
 * @example
 * ```ts
 * let page = await backend.list({ state: 'waiting', limit: 100 });
 * while (page.next) page = await backend.list({ state: 'waiting', after: page.next });
 * ```
 */
export interface ListOptions {
  /** Only keys in this state. Default: both, in one schedule order. */
  readonly state?: 'waiting' | 'ready';
  /** The `next` cursor of the previous page. */
  readonly after?: string;
  /** Entries per page, an integer from 1 to 10 000. Default 100. */
  readonly limit?: number;
}

/** One page of {@link Backend.list}: `next` is absent on the last page. */
export interface ListPage {
  readonly entries: readonly ListEntry[];
  readonly next?: string;
}

/**
 * A stored value the codec could not decode, as it is stored (SPEC digest
 * step 9): an operator reads it raw and deletes it.
 *
 * @example
 * ```ts
 * for (const q of await backend.quarantined('mail:p:1')) console.log(q.key, q.value);
 * ```
 */
export interface QuarantinedRecord {
  /** The record key. */
  readonly key: string;
  readonly timestamp: number;
  /** The stored bytes or text, never decoded. */
  readonly value: string | Uint8Array;
}

/** Options for {@link Backend.schedule}. */
export interface ScheduleOptions {
  /** How many keys one atomic step moves (default 1000). */
  readonly chunkSize?: number;
}

/**
 * The caller's part of a digest: receives the snapshot, newest first. If it
 * resolves, exactly these records are removed; if it throws, nothing is.
 */
export type DigestFunction<V, R> = (records: readonly TimelineRecord<V>[]) => R | Promise<R>;

/**
 * A digest store. Every method validates its input before writing anything
 * and rejects with a {@link DigestsError} subclass.
 *
 * @example
 * ```ts
 * import { MemoryBackend } from '@digests/memory';
 *
 * const backend: Backend<{ text: string }> = new MemoryBackend({ minimumDelay: 60_000 });
 * const first = await backend.add('mail:p:1', { key: 'e1', value: { text: 'hi' }, timestamp: Date.now() });
 * if (first) await backend.digest('mail:p:1', async (records) => send(records));
 * for await (const { key } of backend.schedule(Date.now())) {
 *   await backend.digest(key, async (records) => send(records));
 * }
 * ```
 */
export interface Backend<V = unknown> {
  /**
   * Stores `record` in the timeline `key` and updates the schedule. Resolves
   * `true` when the key was absent and is now ready: deliver at once.
   */
  add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean>;

  /**
   * Snapshots the ready timeline `key`, hands its records to `fn` and, only if
   * `fn` succeeds, removes exactly those records and reschedules the key.
   * Rejects `LeaseConflictError`, `InvalidStateError` or `LeaseLostError`, or
   * with whatever `fn` threw.
   */
  digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R>;

  /**
   * Moves every waiting key with score ≤ `deadline` to ready and yields it,
   * earliest first. Concurrent schedulers never yield one transition twice.
   */
  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry>;

  /**
   * Moves ready keys with score ≤ `deadline` whose lease is not held back to
   * waiting; with `ttl`, discards data untouched that long. Resolves how many
   * keys it moved.
   */
  maintenance(deadline: number): Promise<number>;

  /** A waiting key becomes ready now ("digest now"); otherwise a no-op. */
  flush(key: string): Promise<void>;

  /**
   * Removes the timeline, its snapshot, its quarantined values, its
   * last-processed time and its schedule entry.
   */
  delete(key: string): Promise<void>;

  /** Reports the key's state, score, size, last-processed time and quarantined count. */
  inspect(key: string): Promise<TimelineInfo>;

  /**
   * Cancels the named pending records: removes them from the timeline and
   * from a snapshot left by a failed digest (never from the snapshot of a
   * digest that holds its lease). The schedule is unchanged. Resolves how
   * many records were removed.
   */
  remove(key: string, recordKeys: readonly string[]): Promise<number>;

  /** Pages through keys in schedule order (score, then key), optionally of one state. */
  list(options?: ListOptions): Promise<ListPage>;

  /** The values of `key` that a digest quarantined, raw, oldest first. */
  quarantined(key: string): Promise<QuarantinedRecord[]>;

  /**
   * Deletes quarantined values of `key`: the named record keys, or all of
   * them. Resolves how many were deleted.
   */
  deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number>;

  /**
   * Releases connections the backend opened itself (not ones it was given).
   * Every call after it rejects with `BackendClosedError`.
   */
  close(): Promise<void>;
}
