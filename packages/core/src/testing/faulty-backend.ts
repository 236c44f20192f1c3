import type {
  AddOptions,
  Backend,
  DigestFunction,
  DigestOptions,
  ScheduleEntry,
  ScheduleOptions,
  TimelineInfo,
  TimelineRecord,
} from '../backend.js';
import { BackendUnavailableError } from '../errors.js';

/** The operations a {@link FaultyBackend} can fail. */
export type FaultyOperation =
  | 'add'
  | 'digest'
  | 'schedule'
  | 'maintenance'
  | 'flush'
  | 'delete'
  | 'inspect'
  | 'close';

/** Every operation but `close`: what "the store is down" fails. */
export const STORE_OPERATIONS: readonly FaultyOperation[] = Object.freeze([
  'add',
  'digest',
  'schedule',
  'maintenance',
  'flush',
  'delete',
  'inspect',
]);

/** When and how a {@link FaultyBackend.failOn} rule fails. */
export interface FaultOptions {
  /** Let this many matching calls through first. Default 0. */
  readonly after?: number;
  /** Fail this many calls, then let calls through again. Default: for ever. */
  readonly times?: number;
  /** The error to throw. Default: a `BackendUnavailableError` (transient). */
  readonly error?: (operation: FaultyOperation) => unknown;
}

interface Rule {
  readonly operations: ReadonlySet<FaultyOperation>;
  skip: number;
  remaining: number;
  readonly error: (operation: FaultyOperation) => unknown;
}

const unavailable = (operation: FaultyOperation) =>
  new BackendUnavailableError(`injected failure: ${operation}`);

/**
 * Wraps a backend and fails chosen operations, for failure tests: while the
 * `down` switch is on (every operation but `close`), or by rules — these
 * operations, after N calls, for M calls. A failing call never reaches the
 * wrapped backend, so it changes nothing, like a store that could not be
 * reached. `digest` fails before opening (its function is not called);
 * `schedule` fails when iterated.
 *
 * @example
 * ```ts
 * import { FaultyBackend } from '@digests/core/testing';
 *
 * const primary = new FaultyBackend(new MemoryBackend());
 * primary.down = true;                              // Redis is "down"
 * primary.failOn('add', { after: 2, times: 1 });    // the third add fails once
 * primary.calls('add');                              // how many adds it saw
 * ```
 */
export class FaultyBackend<V = unknown> implements Backend<V> {
  readonly #inner: Backend<V>;
  readonly #rules: Rule[] = [];
  readonly #calls = new Map<FaultyOperation, number>();
  readonly #failures = new Map<FaultyOperation, number>();
  /** The switch: while `true`, every operation but `close` fails with a transient error. */
  down = false;

  constructor(inner: Backend<V>) {
    this.#inner = inner;
  }

  /** The wrapped backend (reach past the faults, e.g. to check what it holds). */
  get inner(): Backend<V> {
    return this.#inner;
  }

  /** Adds a rule; returns `this` for chaining. */
  failOn(
    operations: FaultyOperation | readonly FaultyOperation[],
    options: FaultOptions = {},
  ): this {
    const list = typeof operations === 'string' ? [operations] : operations;
    this.#rules.push({
      operations: new Set(list),
      skip: options.after ?? 0,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      error: options.error ?? unavailable,
    });
    return this;
  }

  /** Clears every rule and turns the switch off. */
  heal(): void {
    this.#rules.length = 0;
    this.down = false;
  }

  /** How many calls of `operation` this wrapper saw (failed ones included). */
  calls(operation: FaultyOperation): number {
    return this.#calls.get(operation) ?? 0;
  }

  /** How many calls of `operation` it failed. */
  failures(operation: FaultyOperation): number {
    return this.#failures.get(operation) ?? 0;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    this.#check('add');
    return this.#inner.add(key, record, options);
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    this.#check('digest');
    return this.#inner.digest(key, fn, options);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    const check = () => this.#check('schedule');
    const inner = this.#inner;
    return (async function* faultySchedule() {
      check();
      yield* inner.schedule(deadline, options);
    })();
  }

  async maintenance(deadline: number): Promise<number> {
    this.#check('maintenance');
    return this.#inner.maintenance(deadline);
  }

  async flush(key: string): Promise<void> {
    this.#check('flush');
    return this.#inner.flush(key);
  }

  async delete(key: string): Promise<void> {
    this.#check('delete');
    return this.#inner.delete(key);
  }

  async inspect(key: string): Promise<TimelineInfo> {
    this.#check('inspect');
    return this.#inner.inspect(key);
  }

  async close(): Promise<void> {
    this.#check('close');
    return this.#inner.close();
  }

  #check(operation: FaultyOperation): void {
    this.#calls.set(operation, this.calls(operation) + 1);
    let error: unknown;
    if (this.down && operation !== 'close') error = unavailable(operation);
    for (const rule of this.#rules) {
      if (!rule.operations.has(operation)) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      if (rule.remaining <= 0) continue;
      rule.remaining--;
      error ??= rule.error(operation);
    }
    if (error === undefined) return;
    this.#failures.set(operation, this.failures(operation) + 1);
    throw error;
  }
}
