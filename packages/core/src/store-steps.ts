/**
 * How the front runs one store step: a fresh clock reading, the refusal of
 * every step after `close()`, the operation timeout, and the mapping of a
 * store's failures to the library's typed errors.
 *
 * @module
 */
import { BackendClosedError, BackendUnavailableError, DigestsError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { StepDeadlines } from './step-deadlines.js';
import type { DigestStore, StoreAdd, StoreContext } from './store.js';

/**
 * Runs the steps of one {@link DigestStore} for {@link StoreBackend}. An
 * in-process store (`inProcess`) cannot hang on I/O, so its steps skip the
 * operation-timeout watch, which would cost more than such a step.
 *
 * @example
 * ```ts
 * const steps = new StoreSteps(store, resolveOptions({ operationTimeout: 5_000 }));
 * const moved = await steps.run('requeue', (context) => store.requeue(deadline, context.now));
 * ```
 */
export class StoreSteps {
  readonly #store: DigestStore;
  readonly #clock: () => number;
  readonly #touch: boolean;
  #last: StoreContext = { now: Number.NaN, touch: false };
  readonly #timeout: number;
  readonly #deadlines: StepDeadlines | undefined;
  #closed: Promise<void> | undefined;

  constructor(store: DigestStore, options: ResolvedOptions<unknown>) {
    this.#store = store;
    this.#clock = options.clock;
    this.#touch = options.ttl !== undefined;
    this.#timeout = options.operationTimeout;
    this.#deadlines = store.inProcess === true ? undefined : new StepDeadlines(this.#timeout);
  }

  /** Throws `BackendClosedError` once `close()` was called. */
  assertOpen(): void {
    if (this.#closed !== undefined) throw this.#closedError();
  }

  /** Closes the store once; every later step is refused. */
  close(): Promise<void> {
    this.#closed ??= this.#store.close();
    return this.#closed;
  }

  /** A fresh context: the clock read now, and whether ttl bookkeeping is on. */
  context(): StoreContext {
    const now = this.#clock();
    // A burst of adds reads the same millisecond: one context object for all of them.
    if (this.#last.now !== now) this.#last = { now, touch: this.#touch };
    return this.#last;
  }

  /**
   * One add, resolving whether it made the key ready at once. The add path
   * is every store's hottest: one store call, no closure, and for an
   * in-process store no promise beyond the store's own.
   */
  add(add: StoreAdd): Promise<boolean> {
    const store = this.#store;
    const context = this.context();
    let pending: Promise<boolean> | Promise<boolean[]>;
    try {
      pending = store.addOne === undefined ? store.add([add], context) : store.addOne(add, context);
    } catch (error) {
      return Promise.reject(this.#failure(error));
    }
    if (store.addOne === undefined) {
      return this.#watch('add', (pending as Promise<boolean[]>).then(firstOf));
    }
    return this.#watch('add', pending as Promise<boolean>);
  }

  /**
   * Runs one store step with a fresh clock reading, within
   * `operationTimeout`, reporting transient failures and timeouts as
   * `BackendUnavailableError`.
   */
  run<T>(name: string, fn: (context: StoreContext) => Promise<T>): Promise<T> {
    let pending: Promise<T>;
    try {
      pending = fn(this.context());
    } catch (error) {
      return Promise.reject(this.#failure(error));
    }
    return this.#watch(name, pending);
  }

  #watch<T>(name: string, pending: Promise<T>): Promise<T> {
    const deadlines = this.#deadlines;
    // An in-process store cannot hang on I/O: no deadline to watch.
    if (deadlines === undefined) return pending;
    return new Promise<T>((resolve, reject) => {
      const entry = deadlines.watch(() =>
        reject(
          new BackendUnavailableError(
            `${this.#store.description} did not answer (${name}) within ${this.#timeout} ms`,
          ),
        ),
      );
      pending.then(
        (value) => {
          deadlines.settle(entry);
          resolve(value);
        },
        (error: unknown) => {
          deadlines.settle(entry);
          reject(this.#failure(error));
        },
      );
    });
  }

  #closedError(cause?: unknown): BackendClosedError {
    const message = `${this.#store.description} was closed`;
    return cause === undefined
      ? new BackendClosedError(message)
      : new BackendClosedError(message, { cause });
  }

  #failure(error: unknown): unknown {
    if (error instanceof DigestsError) return error;
    if (this.#closed !== undefined) return this.#closedError(error);
    if (this.#store.isTransient?.(error) === true) {
      const reason = error instanceof Error ? error.message : String(error);
      return new BackendUnavailableError(`${this.#store.description} is unavailable: ${reason}`, {
        cause: error,
      });
    }
    return error;
  }
}

function firstOf(firsts: readonly boolean[]): boolean {
  return firsts[0] === true;
}
