import type { ListEntry, ScheduleEntry } from '../backend.js';
import type { BackendStats } from '../stats.js';
import type {
  CommitRequest,
  DigestStore,
  ListRequest,
  OpenRequest,
  OpenResult,
  PeekedStoredRecord,
  PeekRequest,
  StoreAdd,
  StoreContext,
  StoredRecord,
  StoreInfo,
} from '../store.js';
import { type FaultOptions, FaultRules } from './fault-rules.js';

/** The steps a {@link FaultyStore} can fail or hang. */
export type FaultyStoreStep =
  | 'add'
  | 'open'
  | 'renew'
  | 'release'
  | 'quarantine'
  | 'commit'
  | 'claim'
  | 'requeue'
  | 'expire'
  | 'flush'
  | 'delete'
  | 'inspect'
  | 'remove'
  | 'list'
  | 'quarantined'
  | 'deleteQuarantined'
  | 'peek'
  | 'stats'
  | 'close';

/** Every step but `close` (and `storedItems`, the test's own look inside). */
export const STORE_STEPS: readonly FaultyStoreStep[] = Object.freeze([
  'add',
  'open',
  'renew',
  'release',
  'quarantine',
  'commit',
  'claim',
  'requeue',
  'expire',
  'flush',
  'delete',
  'inspect',
  'remove',
  'list',
  'quarantined',
  'deleteQuarantined',
  'peek',
  'stats',
]);

/**
 * When and how a {@link FaultyStore.failOn} rule strikes.
 *
 * @example
 * ```ts
 * const options: FaultyStoreOptions = { after: 3, times: 1, hang: true };
 * ```
 */
export type FaultyStoreOptions = FaultOptions<FaultyStoreStep>;

/**
 * What a {@link FaultyStore} throws by default: a failure its `isTransient`
 * accepts, so the front reports it as `BackendUnavailableError`.
 */
export class InjectedStoreFailure extends Error {
  constructor(step: FaultyStoreStep) {
    super(`injected store failure: ${step}`);
    this.name = 'InjectedStoreFailure';
  }
}

/**
 * Wraps a {@link DigestStore} and fails or hangs chosen steps, for tests of
 * what the front (`StoreBackend`) and the containers above it do when the
 * store itself misbehaves: `hanging = true` is a server stopped with
 * SIGSTOP, which only the front's `operationTimeout` gets a caller out of;
 * `down = true` fails every step with a transient error. Rules pick steps,
 * after N calls, for M calls. A struck step never reaches the wrapped store.
 *
 * @example
 * ```ts
 * import { FaultyStore } from '@digests/core/testing';
 *
 * const store = new FaultyStore(new MemoryStore());
 * const primary = new StoreBackend(store, { operationTimeout: 200 });
 * store.hanging = true; // every step waits until store.heal()
 * await primary.add('k', record); // rejects BackendUnavailableError after 200 ms
 * ```
 */
export class FaultyStore implements DigestStore {
  readonly #inner: DigestStore;
  readonly #faults = new FaultRules<FaultyStoreStep>(
    STORE_STEPS,
    (step) => new InjectedStoreFailure(step),
  );

  /** Present when the wrapped store can count itself (a store's optional step). */
  readonly stats?: () => Promise<BackendStats>;

  constructor(inner: DigestStore) {
    this.#inner = inner;
    const { stats } = inner;
    if (stats !== undefined) {
      this.stats = async () => {
        await this.#faults.strike('stats');
        return stats.call(inner);
      };
    }
  }

  /** The wrapped store. */
  get inner(): DigestStore {
    return this.#inner;
  }

  get description(): string {
    return `faulty ${this.#inner.description}`;
  }

  get maxBatch(): number | undefined {
    return this.#inner.maxBatch;
  }

  /** While `true`, every step but `close` fails with an {@link InjectedStoreFailure}. */
  get down(): boolean {
    return this.#faults.down;
  }

  set down(value: boolean) {
    this.#faults.down = value;
  }

  /** While `true`, every step but `close` waits until `heal()`, then goes through. */
  get hanging(): boolean {
    return this.#faults.hanging;
  }

  set hanging(value: boolean) {
    this.#faults.hanging = value;
  }

  /** Adds a rule; returns `this` for chaining. */
  failOn(
    steps: FaultyStoreStep | readonly FaultyStoreStep[],
    options: FaultyStoreOptions = {},
  ): this {
    this.#faults.failOn(steps, options);
    return this;
  }

  /** Makes these steps hang until `heal()`; returns `this`. */
  hangOn(
    steps: FaultyStoreStep | readonly FaultyStoreStep[],
    options: Omit<FaultyStoreOptions, 'hang' | 'error'> = {},
  ): this {
    this.#faults.failOn(steps, { ...options, hang: true });
    return this;
  }

  /** Clears every rule, turns both switches off and lets hung steps through. */
  heal(): void {
    this.#faults.heal();
  }

  calls(step: FaultyStoreStep): number {
    return this.#faults.calls(step);
  }

  failures(step: FaultyStoreStep): number {
    return this.#faults.failures(step);
  }

  hangs(step: FaultyStoreStep): number {
    return this.#faults.hangs(step);
  }

  async add(adds: readonly StoreAdd[], context: StoreContext): Promise<boolean[]> {
    await this.#faults.strike('add');
    return this.#inner.add(adds, context);
  }

  async open(request: OpenRequest): Promise<OpenResult> {
    await this.#faults.strike('open');
    return this.#inner.open(request);
  }

  async renew(key: string, token: string, expiresAt: number): Promise<boolean> {
    await this.#faults.strike('renew');
    return this.#inner.renew(key, token, expiresAt);
  }

  async release(key: string, token: string): Promise<void> {
    await this.#faults.strike('release');
    return this.#inner.release(key, token);
  }

  async quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void> {
    await this.#faults.strike('quarantine');
    return this.#inner.quarantine(key, token, recordKeys);
  }

  async commit(request: CommitRequest): Promise<boolean> {
    await this.#faults.strike('commit');
    return this.#inner.commit(request);
  }

  async claim(deadline: number, limit: number): Promise<ScheduleEntry[]> {
    await this.#faults.strike('claim');
    return this.#inner.claim(deadline, limit);
  }

  async requeue(deadline: number, now: number): Promise<number> {
    await this.#faults.strike('requeue');
    return this.#inner.requeue(deadline, now);
  }

  async expire(touchedBefore: number, now: number): Promise<number> {
    await this.#faults.strike('expire');
    return this.#inner.expire(touchedBefore, now);
  }

  async flush(key: string, now: number): Promise<void> {
    await this.#faults.strike('flush');
    return this.#inner.flush(key, now);
  }

  async delete(key: string): Promise<void> {
    await this.#faults.strike('delete');
    return this.#inner.delete(key);
  }

  async inspect(key: string): Promise<StoreInfo> {
    await this.#faults.strike('inspect');
    return this.#inner.inspect(key);
  }

  async remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    await this.#faults.strike('remove');
    return this.#inner.remove(key, recordKeys, now);
  }

  async list(request: ListRequest): Promise<ListEntry[]> {
    await this.#faults.strike('list');
    return this.#inner.list(request);
  }

  async quarantined(key: string): Promise<StoredRecord[]> {
    await this.#faults.strike('quarantined');
    return this.#inner.quarantined(key);
  }

  async deleteQuarantined(key: string, recordKeys: readonly string[] | undefined): Promise<number> {
    await this.#faults.strike('deleteQuarantined');
    return this.#inner.deleteQuarantined(key, recordKeys);
  }

  async peek(key: string, request: PeekRequest): Promise<PeekedStoredRecord[]> {
    await this.#faults.strike('peek');
    return this.#inner.peek(key, request);
  }

  /** Never faulted: it is the test's own look into the store. */
  storedItems(): Promise<number> {
    return this.#inner.storedItems();
  }

  /** Its own failures, and whatever the wrapped store calls transient. */
  isTransient(error: unknown): boolean {
    return error instanceof InjectedStoreFailure || this.#inner.isTransient?.(error) === true;
  }

  async close(): Promise<void> {
    await this.#faults.strike('close');
    return this.#inner.close();
  }
}
