/**
 * The narrow store interface. A store performs atomic steps on input the
 * front ({@link StoreBackend}) has already checked and encoded: it never
 * validates keys or records, never runs codecs, never takes a clock reading
 * of its own (every step is given `now`) and never runs the caller's
 * function. The front owns options, validation, encoding, leases and their
 * renewal, timeouts, quarantine decisions and typed errors.
 *
 * Every step is atomic on its own: a concurrent step on the same key sees
 * either all of its effect or none. Steps on different keys may interleave.
 * A store signals outcomes with return values (`'conflict'`, `false`, …);
 * it throws only when the store itself failed. The front turns a failure
 * that {@link DigestStore.isTransient} accepts into `BackendUnavailableError`.
 *
 * The rules each step follows are written in `docs/contract.md`; the
 * reference implementation is `MemoryStore` in `@digests/memory`.
 *
 * @module
 */
import type { ListEntry, ScheduleEntry, TimelineState } from './backend.js';
import type { EncodedValue } from './codecs/codec.js';
import type { PeekPosition } from './peek.js';
import type { BackendStats } from './stats.js';

/**
 * A record as a store keeps it: the value already encoded.
 *
 * @example
 * ```ts
 * const stored: StoredRecord = { key: 'e1', timestamp: 1_700_000_000_000, value: '{"a":1}' };
 * ```
 */
export interface StoredRecord {
  readonly key: string;
  readonly timestamp: number;
  readonly value: EncodedValue;
}

/**
 * One checked, encoded add. The store stores `record` in the timeline `key`
 * (replacing a record with the same key), trims to `trimTo` newest records
 * when it is set, then applies the schedule rule of {@link scheduleAfterAdd}
 * — all in one atomic step.
 *
 * @example
 * ```ts
 * const add: StoreAdd = {
 *   key: 'mail:p:1',
 *   record: { key: 'e1', timestamp: now, value: '"disk full"' },
 *   incrementDelay: 30_000,
 *   maximumDelay: 1_800_000,
 * };
 * ```
 */
export interface StoreAdd {
  readonly key: string;
  readonly record: StoredRecord;
  readonly incrementDelay: number;
  readonly maximumDelay: number;
  /** A fixed due time that replaces the backoff rule (see `AddOptions.dueAt`). */
  readonly dueAt?: number;
  /** Ready now once a waiting key holds this many records (timeline + snapshot). */
  readonly flushThreshold?: number;
  /** When set, keep only this many newest timeline records after storing. */
  readonly trimTo?: number;
}

/**
 * What every writing step is told about the moment it runs.
 *
 * @example
 * ```ts
 * await store.add(adds, { now: clock(), touch: ttl !== undefined });
 * ```
 */
export interface StoreContext {
  /** The front's clock reading for this step. */
  readonly now: number;
  /**
   * Whether `ttl` bookkeeping is on: record `now` as the key's last touch
   * (adds and digest steps touch; see `docs/contract.md`). Stores may skip
   * the write when it is `false`.
   */
  readonly touch: boolean;
}

/**
 * Opens a digest: `open` takes the lease and moves the timeline into the
 * snapshot in one atomic step.
 *
 * @example
 * ```ts
 * const opened = await store.open({ key, token, now, expiresAt: now + 30_000, touch: false });
 * ```
 */
export interface OpenRequest extends StoreContext {
  readonly key: string;
  /** The new lease's token: unique per digest. */
  readonly token: string;
  /** When the new lease expires. */
  readonly expiresAt: number;
  /** Trim the merged snapshot to this many newest records (the backend's `capacity`). */
  readonly capacity?: number;
  /**
   * Return at most this many records: the oldest of the snapshot by
   * (timestamp, record key) ascending. The others stay in the snapshot.
   */
  readonly limit?: number;
}

/**
 * What {@link DigestStore.open} found:
 * - `conflict`: another digest holds an unexpired lease; nothing changed;
 * - `not-ready`: the key is not ready; nothing changed;
 * - `opened`: the lease is ours and `records` is the snapshot (or its
 *   oldest `limit`), **newest first**.
 *
 * @example
 * ```ts
 * const opened = await store.open(request);
 * if (opened.outcome === 'opened') console.log(opened.records.length);
 * ```
 */
export type OpenResult =
  | { readonly outcome: 'conflict' }
  | { readonly outcome: 'not-ready' }
  | { readonly outcome: 'opened'; readonly records: readonly StoredRecord[] };

/**
 * Commits a digest whose function succeeded.
 *
 * @example
 * ```ts
 * const ours = await store.commit({ key, token, now, touch: false, minimumDelay: 300_000 });
 * if (!ours) throw new LeaseLostError('…');
 * ```
 */
export interface CommitRequest extends StoreContext {
  readonly key: string;
  readonly token: string;
  readonly minimumDelay: number;
  /**
   * The record keys that were delivered (a limited digest), to be removed
   * from the snapshot; `undefined` means the whole snapshot was delivered.
   */
  readonly delivered?: readonly string[];
}

/**
 * Asks for one page of keys in schedule order.
 *
 * @example
 * ```ts
 * const entries = await store.list({ state: 'ready', limit: 101 });
 * ```
 */
export interface ListRequest {
  readonly state?: 'waiting' | 'ready';
  /** Only keys strictly after this (score, then key by code point). */
  readonly after?: { readonly score: number; readonly key: string };
  readonly limit: number;
}

/**
 * Asks for one page of a key's records in peek order (see
 * `comparePeekPositions`: timestamp descending, record key descending, a
 * timeline record before a snapshot record of the same key).
 *
 * @example
 * ```ts
 * const page = await store.peek('mail:p:1', { limit: 51 });
 * ```
 */
export interface PeekRequest {
  /** Only records strictly after this position. */
  readonly after?: PeekPosition;
  readonly limit: number;
}

/**
 * A record as {@link DigestStore.peek} returns it: where it sits, and its
 * stored (encoded) value.
 *
 * @example
 * ```ts
 * const peeked: PeekedStoredRecord = { key: 'e1', timestamp: 5, value: '"hi"', inSnapshot: false };
 * ```
 */
export interface PeekedStoredRecord extends StoredRecord {
  readonly inSnapshot: boolean;
}

/**
 * What {@link DigestStore.inspect} reports for one key.
 *
 * @example
 * ```ts
 * const info: StoreInfo = { state: 'waiting', score: 1_700_000_300_000, size: 3, quarantined: 0 };
 * ```
 */
export interface StoreInfo {
  readonly state: TimelineState;
  readonly score?: number;
  /** Timeline plus snapshot records. */
  readonly size: number;
  readonly lastProcessed?: number;
  /** Quarantined values held for the key. */
  readonly quarantined: number;
}

/**
 * The atomic steps a digests store performs. Implement this and hand it to
 * {@link StoreBackend}; the conformance kit (`@digests/conformance`) checks
 * the result.
 *
 * @example
 * ```ts
 * class MyBackend<V> extends StoreBackend<V> {
 *   constructor(options: BackendOptions<V> = {}) {
 *     super(new MyStore(), options);
 *   }
 * }
 * ```
 */
export interface DigestStore {
  /**
   * Names the store and where it is, for messages:
   * `Redis at redis://127.0.0.1:6379`, `SQLite at /var/lib/app/digests.db`.
   */
  readonly description: string;

  /**
   * `true` for a store that lives in this process and never waits on I/O
   * (the memory store): the front then skips its operation-timeout watch,
   * which would cost more than such a store's whole step.
   */
  readonly inProcess?: boolean;

  /**
   * The most adds one {@link DigestStore.add} call takes; the front splits
   * larger batches. Default 500.
   */
  readonly maxBatch?: number;

  /**
   * Applies each add in order, each atomically (the batch as a whole need
   * not be). Resolves, per add, whether it made the key ready to deliver at
   * once (`ScheduleAfter.first`).
   */
  add(adds: readonly StoreAdd[], context: StoreContext): Promise<boolean[]>;

  /**
   * One add, as {@link DigestStore.add} would apply it (optional): the
   * front calls it for a single `add`, sparing the batch's arrays on every
   * store's hottest path. Resolves whether the add made the key ready.
   */
  addOne?(add: StoreAdd, context: StoreContext): Promise<boolean>;

  /** Takes the lease and moves the timeline into the snapshot (see {@link OpenRequest}). */
  open(request: OpenRequest): Promise<OpenResult>;

  /** Extends the lease to `expiresAt` if `token` still holds it; resolves whether it does. */
  renew(key: string, token: string, expiresAt: number): Promise<boolean>;

  /** Drops the lease if `token` holds it. Records stay. */
  release(key: string, token: string): Promise<void>;

  /**
   * Moves the named snapshot records into the key's quarantine (kept raw,
   * never decoded), if `token` still holds the lease.
   */
  quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void>;

  /**
   * If `token` still holds the lease (expired but not taken counts as
   * held): removes the delivered records from the snapshot, drops the
   * lease, then reschedules:
   * - snapshot records remain (a limited digest) → stays ready, score kept, L = now;
   * - else if anything was delivered or the timeline holds records →
   *   waiting at `now + minimumDelay`, L = now;
   * - else → absent; L is forgotten.
   * Resolves `false`, changing nothing, when the lease is gone.
   */
  commit(request: CommitRequest): Promise<boolean>;

  /**
   * Moves up to `limit` waiting keys with score ≤ `deadline` to ready
   * (keeping their scores) in one atomic step and returns them earliest
   * first. Concurrent claims never return the same key.
   */
  claim(deadline: number, limit: number): Promise<ScheduleEntry[]>;

  /**
   * Moves every ready key with score ≤ `deadline` whose lease is not held at
   * `now` back to waiting, keeping its score. Resolves how many moved.
   */
  requeue(deadline: number, now: number): Promise<number>;

  /**
   * Discards every key last touched at or before `touchedBefore` whose lease
   * is not held at `now`, as `delete` would. Called only with `ttl`.
   */
  expire(touchedBefore: number, now: number): Promise<number>;

  /** A waiting key becomes ready with score `now`; otherwise nothing. */
  flush(key: string, now: number): Promise<void>;

  /** Removes everything of `key`: timeline, snapshot, quarantine, L, lease, schedule. */
  delete(key: string): Promise<void>;

  inspect(key: string): Promise<StoreInfo>;

  /**
   * Removes the named records from the timeline and from a snapshot whose
   * lease is not held at `now`. The schedule is unchanged. Resolves how many
   * records were removed (a record key in both counts twice).
   */
  remove(key: string, recordKeys: readonly string[], now: number): Promise<number>;

  /** Up to `limit` keys after `after`, in schedule order (score, then key by code point). */
  list(request: ListRequest): Promise<ListEntry[]>;

  /** The quarantined values of `key`, oldest first (timestamp, then record key). */
  quarantined(key: string): Promise<StoredRecord[]>;

  /** Deletes the named quarantined values of `key`, or all; resolves how many. */
  deleteQuarantined(key: string, recordKeys: readonly string[] | undefined): Promise<number>;

  /**
   * Reads up to `limit` of the key's timeline and snapshot records after
   * `after`, in peek order, changing nothing (no lease, no touch).
   */
  peek(key: string, request: PeekRequest): Promise<PeekedStoredRecord[]>;

  /** Counts keys per state and records held (optional). */
  stats?(): Promise<BackendStats>;

  /**
   * How many items (rows, keys, entries) the store holds for this backend;
   * 0 means nothing is left. The conformance kit uses it to check that
   * rejected input wrote nothing and that drained timelines leave nothing.
   */
  storedItems(): Promise<number>;

  /**
   * Whether a failure thrown by a step is transient (the store could not be
   * reached, timed out, is failing over): the front reports it as
   * `BackendUnavailableError`. Default: nothing is transient.
   */
  isTransient?(error: unknown): boolean;

  /** Releases what the store opened itself. Called once. */
  close(): Promise<void>;
}
