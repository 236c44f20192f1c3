import type {
  AddOptions,
  Backend,
  DigestFunction,
  DigestOptions,
  ListOptions,
  ListPage,
  QuarantinedRecord,
  ScheduleEntry,
  ScheduleOptions,
  TimelineInfo,
  TimelineRecord,
} from '../backend.js';
import { peekThrough } from '../containers/merged-peek.js';
import { BackendUnavailableError } from '../errors.js';
import type { PeekOptions, PeekPage, PeekSource } from '../peek.js';
import { FaultRules, type FaultOptions as Options } from './fault-rules.js';

/** The operations a {@link FaultyBackend} can fail. */
export type FaultyOperation =
  | 'add'
  | 'digest'
  | 'schedule'
  | 'maintenance'
  | 'flush'
  | 'delete'
  | 'inspect'
  | 'remove'
  | 'list'
  | 'quarantined'
  | 'deleteQuarantined'
  | 'peek'
  | 'close';

/** Every operation but `close`: what "the store is down" (or hangs) fails. */
export const STORE_OPERATIONS: readonly FaultyOperation[] = Object.freeze([
  'add',
  'digest',
  'schedule',
  'maintenance',
  'flush',
  'delete',
  'inspect',
  'remove',
  'list',
  'quarantined',
  'deleteQuarantined',
  'peek',
]);

/**
 * When and how a {@link FaultyBackend.failOn} rule strikes: after N calls,
 * for M calls, with an error (default: a transient `BackendUnavailableError`)
 * or, with `hang`, by never answering until `heal()`.
 *
 * @example
 * ```ts
 * const options: FaultOptions = { after: 2, times: 1, hang: true };
 * ```
 */
export type FaultOptions = Options<FaultyOperation>;

const unavailable = (operation: string) =>
  new BackendUnavailableError(`injected failure: ${operation}`);

/**
 * Wraps a backend and fails chosen operations, for failure tests: while the
 * `down` switch is on (every operation but `close`), or by rules — these
 * operations, after N calls, for M calls. A failing call never reaches the
 * wrapped backend, so it changes nothing, like a store that could not be
 * reached. `digest` fails before opening (its function is not called);
 * `schedule` fails when iterated. A hanging call (the `hanging` switch, or
 * a rule with `hang`) never answers until `heal()`, then goes through — a
 * store stopped and resumed. To test an operation timeout, hang a store
 * instead (`FaultyStore`): the timeout belongs to the backend's front.
 *
 * @example
 * ```ts
 * import { FaultyBackend } from '@digests/core/testing';
 *
 * const primary = new FaultyBackend(new MemoryBackend());
 * primary.down = true;                              // Redis is "down"
 * primary.failOn('add', { after: 2, times: 1 });    // the third add fails once
 * primary.hangOn('digest');                          // digests never answer
 * primary.calls('add');                              // how many adds it saw
 * ```
 */
export class FaultyBackend<V = unknown> implements Backend<V>, PeekSource<V> {
  readonly #inner: Backend<V>;
  readonly #faults = new FaultRules<FaultyOperation>(STORE_OPERATIONS, unavailable);

  constructor(inner: Backend<V>) {
    this.#inner = inner;
  }

  /** The wrapped backend (reach past the faults, e.g. to check what it holds). */
  get inner(): Backend<V> {
    return this.#inner;
  }

  /** The switch: while `true`, every operation but `close` fails with a transient error. */
  get down(): boolean {
    return this.#faults.down;
  }

  set down(value: boolean) {
    this.#faults.down = value;
  }

  /**
   * The other switch: while `true`, every operation but `close` never
   * answers (a store stopped with SIGSTOP); `heal()` lets the hung calls
   * through, as a resumed store would answer them.
   */
  get hanging(): boolean {
    return this.#faults.hanging;
  }

  set hanging(value: boolean) {
    this.#faults.hanging = value;
  }

  /** Adds a rule; returns `this` for chaining. */
  failOn(
    operations: FaultyOperation | readonly FaultyOperation[],
    options: FaultOptions = {},
  ): this {
    this.#faults.failOn(operations, options);
    return this;
  }

  /** Makes these operations hang (see `FaultOptions.hang`); returns `this`. */
  hangOn(
    operations: FaultyOperation | readonly FaultyOperation[],
    options: Omit<FaultOptions, 'hang' | 'error'> = {},
  ): this {
    this.#faults.failOn(operations, { ...options, hang: true });
    return this;
  }

  /** Clears every rule, turns both switches off and lets hung calls through. */
  heal(): void {
    this.#faults.heal();
  }

  /** How many calls of `operation` this wrapper saw (failed and hung ones included). */
  calls(operation: FaultyOperation): number {
    return this.#faults.calls(operation);
  }

  /** How many calls of `operation` it failed. */
  failures(operation: FaultyOperation): number {
    return this.#faults.failures(operation);
  }

  /** How many calls of `operation` it held (hung). */
  hangs(operation: FaultyOperation): number {
    return this.#faults.hangs(operation);
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    await this.#faults.strike('add');
    return this.#inner.add(key, record, options);
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    await this.#faults.strike('digest');
    return this.#inner.digest(key, fn, options);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    const faults = this.#faults;
    const inner = this.#inner;
    return (async function* faultySchedule() {
      await faults.strike('schedule');
      yield* inner.schedule(deadline, options);
    })();
  }

  async maintenance(deadline: number): Promise<number> {
    await this.#faults.strike('maintenance');
    return this.#inner.maintenance(deadline);
  }

  async flush(key: string): Promise<void> {
    await this.#faults.strike('flush');
    return this.#inner.flush(key);
  }

  async delete(key: string): Promise<void> {
    await this.#faults.strike('delete');
    return this.#inner.delete(key);
  }

  async inspect(key: string): Promise<TimelineInfo> {
    await this.#faults.strike('inspect');
    return this.#inner.inspect(key);
  }

  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    await this.#faults.strike('remove');
    return this.#inner.remove(key, recordKeys);
  }

  async list(options?: ListOptions): Promise<ListPage> {
    await this.#faults.strike('list');
    return this.#inner.list(options);
  }

  async quarantined(key: string): Promise<QuarantinedRecord[]> {
    await this.#faults.strike('quarantined');
    return this.#inner.quarantined(key);
  }

  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    await this.#faults.strike('deleteQuarantined');
    return this.#inner.deleteQuarantined(key, recordKeys);
  }

  async peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    await this.#faults.strike('peek');
    return peekThrough(this.#inner, key, options);
  }

  async close(): Promise<void> {
    await this.#faults.strike('close');
    return this.#inner.close();
  }
}
