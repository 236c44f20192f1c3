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
import type { FaultOptions } from './fault-rules.js';
import { FaultSwitches, SHARED_OPERATIONS, type SharedOperation } from './fault-switches.js';

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
  | SharedOperation
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
  ...SHARED_OPERATIONS,
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
export class FaultyStore extends FaultSwitches<FaultyStoreStep> implements DigestStore {
  readonly #inner: DigestStore;

  /** Present when the wrapped store can count itself (a store's optional step). */
  readonly stats?: () => Promise<BackendStats>;

  constructor(inner: DigestStore) {
    super(STORE_STEPS, (step) => new InjectedStoreFailure(step));
    this.#inner = inner;
    const { stats } = inner;
    if (stats !== undefined) {
      this.stats = async () => {
        await this.strike('stats');
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

  async add(adds: readonly StoreAdd[], context: StoreContext): Promise<boolean[]> {
    await this.strike('add');
    return this.#inner.add(adds, context);
  }

  async open(request: OpenRequest): Promise<OpenResult> {
    await this.strike('open');
    return this.#inner.open(request);
  }

  async renew(key: string, token: string, expiresAt: number): Promise<boolean> {
    await this.strike('renew');
    return this.#inner.renew(key, token, expiresAt);
  }

  async release(key: string, token: string): Promise<void> {
    await this.strike('release');
    return this.#inner.release(key, token);
  }

  async quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void> {
    await this.strike('quarantine');
    return this.#inner.quarantine(key, token, recordKeys);
  }

  async commit(request: CommitRequest): Promise<boolean> {
    await this.strike('commit');
    return this.#inner.commit(request);
  }

  async claim(deadline: number, limit: number): Promise<ScheduleEntry[]> {
    await this.strike('claim');
    return this.#inner.claim(deadline, limit);
  }

  async requeue(deadline: number, now: number): Promise<number> {
    await this.strike('requeue');
    return this.#inner.requeue(deadline, now);
  }

  async expire(touchedBefore: number, now: number): Promise<number> {
    await this.strike('expire');
    return this.#inner.expire(touchedBefore, now);
  }

  async flush(key: string, now: number): Promise<void> {
    await this.strike('flush');
    return this.#inner.flush(key, now);
  }

  async delete(key: string): Promise<void> {
    await this.strike('delete');
    return this.#inner.delete(key);
  }

  async inspect(key: string): Promise<StoreInfo> {
    await this.strike('inspect');
    return this.#inner.inspect(key);
  }

  async remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    await this.strike('remove');
    return this.#inner.remove(key, recordKeys, now);
  }

  async list(request: ListRequest): Promise<ListEntry[]> {
    await this.strike('list');
    return this.#inner.list(request);
  }

  async quarantined(key: string): Promise<StoredRecord[]> {
    await this.strike('quarantined');
    return this.#inner.quarantined(key);
  }

  async deleteQuarantined(key: string, recordKeys: readonly string[] | undefined): Promise<number> {
    await this.strike('deleteQuarantined');
    return this.#inner.deleteQuarantined(key, recordKeys);
  }

  async peek(key: string, request: PeekRequest): Promise<PeekedStoredRecord[]> {
    await this.strike('peek');
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
    await this.strike('close');
    return this.#inner.close();
  }
}
