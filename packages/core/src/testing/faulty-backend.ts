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
import type { FaultOptions as Options } from './fault-rules.js';
import { FaultSwitches, SHARED_OPERATIONS, type SharedOperation } from './fault-switches.js';

/** The operations a {@link FaultyBackend} can fail. */
export type FaultyOperation =
  | 'add'
  | 'digest'
  | 'schedule'
  | 'maintenance'
  | SharedOperation
  | 'close';

/** Every operation but `close`: what "the store is down" (or hangs) fails. */
export const STORE_OPERATIONS: readonly FaultyOperation[] = Object.freeze([
  'add',
  'digest',
  'schedule',
  'maintenance',
  ...SHARED_OPERATIONS,
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
export class FaultyBackend<V = unknown>
  extends FaultSwitches<FaultyOperation>
  implements Backend<V>, PeekSource<V>
{
  readonly #inner: Backend<V>;

  constructor(inner: Backend<V>) {
    super(STORE_OPERATIONS, unavailable);
    this.#inner = inner;
  }

  /** The wrapped backend (reach past the faults, e.g. to check what it holds). */
  get inner(): Backend<V> {
    return this.#inner;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    await this.strike('add');
    return this.#inner.add(key, record, options);
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    await this.strike('digest');
    return this.#inner.digest(key, fn, options);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    const strike = () => this.strike('schedule');
    const inner = this.#inner;
    return (async function* faultySchedule() {
      await strike();
      yield* inner.schedule(deadline, options);
    })();
  }

  async maintenance(deadline: number): Promise<number> {
    await this.strike('maintenance');
    return this.#inner.maintenance(deadline);
  }

  async flush(key: string): Promise<void> {
    await this.strike('flush');
    return this.#inner.flush(key);
  }

  async delete(key: string): Promise<void> {
    await this.strike('delete');
    return this.#inner.delete(key);
  }

  async inspect(key: string): Promise<TimelineInfo> {
    await this.strike('inspect');
    return this.#inner.inspect(key);
  }

  async remove(key: string, recordKeys: readonly string[]): Promise<number> {
    await this.strike('remove');
    return this.#inner.remove(key, recordKeys);
  }

  async list(options?: ListOptions): Promise<ListPage> {
    await this.strike('list');
    return this.#inner.list(options);
  }

  async quarantined(key: string): Promise<QuarantinedRecord[]> {
    await this.strike('quarantined');
    return this.#inner.quarantined(key);
  }

  async deleteQuarantined(key: string, recordKeys?: readonly string[]): Promise<number> {
    await this.strike('deleteQuarantined');
    return this.#inner.deleteQuarantined(key, recordKeys);
  }

  async peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    await this.strike('peek');
    return peekThrough(this.#inner, key, options);
  }

  async close(): Promise<void> {
    await this.strike('close');
    return this.#inner.close();
  }
}
