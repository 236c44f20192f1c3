/**
 * The contract every digests backend implements — adapters (memory, Redis,
 * PostgreSQL, SQLite) and containers alike. `../../shared/SPEC.md` in the
 * project describes the behaviour; the conformance suite encodes it.
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
}

/** Per-call overrides for {@link Backend.add}. */
export interface AddOptions {
  readonly incrementDelay?: number;
  readonly maximumDelay?: number;
}

/** Per-call overrides for {@link Backend.digest}. */
export interface DigestOptions {
  readonly minimumDelay?: number;
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

  /** Removes the timeline, its snapshot, its last-processed time and its schedule entry. */
  delete(key: string): Promise<void>;

  /** Reports the key's state, score, size and last-processed time. */
  inspect(key: string): Promise<TimelineInfo>;

  /** Releases connections the backend opened itself (not ones it was given). */
  close(): Promise<void>;
}
