/** When and how a fault rule strikes. */
export interface FaultOptions<Operation extends string = string> {
  /** Let this many matching calls through first. Default 0. */
  readonly after?: number;
  /** Strike this many calls, then let calls through again. Default: for ever. */
  readonly times?: number;
  /** The error to throw. Default: the wrapper's transient failure. */
  readonly error?: (operation: Operation) => unknown;
  /**
   * Instead of failing, never answer: the call waits until `heal()` and
   * only then reaches the wrapped store (a server stopped with SIGSTOP and
   * resumed later). Only an operation timeout gets the caller out.
   */
  readonly hang?: boolean;
}

interface Rule<Operation extends string> {
  readonly operations: ReadonlySet<Operation>;
  skip: number;
  remaining: number;
  readonly error: (operation: Operation) => unknown;
  readonly hang: boolean;
}

/**
 * The fault engine shared by `FaultyBackend` and `FaultyStore`: the `down`
 * and `hanging` switches, rules (these operations, after N calls, for M
 * calls, failing or hanging) and per-operation counts. `strike(operation)`
 * resolves when the call may go on, rejects when it fails, and stays
 * pending while it hangs.
 *
 * @example
 * ```ts
 * const faults = new FaultRules<'add' | 'digest'>(['add', 'digest'], (op) => new Error(op));
 * faults.failOn('add', { after: 1, times: 1 });
 * await faults.strike('add'); // passes
 * await faults.strike('add'); // rejects
 * ```
 */
export class FaultRules<Operation extends string> {
  readonly #switched: ReadonlySet<Operation>;
  readonly #failure: (operation: Operation) => unknown;
  readonly #rules: Rule<Operation>[] = [];
  readonly #calls = new Map<Operation, number>();
  readonly #failures = new Map<Operation, number>();
  readonly #hangs = new Map<Operation, number>();
  #waiting: (() => void)[] = [];
  /** While `true`, every switched operation fails with the transient failure. */
  down = false;
  /** While `true`, every switched operation hangs until `heal()`. */
  hanging = false;

  /**
   * @param switched the operations the `down` and `hanging` switches affect
   * @param failure the default (transient) failure
   */
  constructor(switched: readonly Operation[], failure: (operation: Operation) => unknown) {
    this.#switched = new Set(switched);
    this.#failure = failure;
  }

  failOn(operations: Operation | readonly Operation[], options: FaultOptions<Operation>): void {
    const list: readonly Operation[] =
      typeof operations === 'string' ? [operations as Operation] : operations;
    this.#rules.push({
      operations: new Set(list),
      skip: options.after ?? 0,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      error: options.error ?? this.#failure,
      hang: options.hang ?? false,
    });
  }

  /** Clears every rule, turns both switches off and lets hung calls go on. */
  heal(): void {
    this.#rules.length = 0;
    this.down = false;
    this.hanging = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resume of waiting) resume();
  }

  calls(operation: Operation): number {
    return this.#calls.get(operation) ?? 0;
  }

  failures(operation: Operation): number {
    return this.#failures.get(operation) ?? 0;
  }

  hangs(operation: Operation): number {
    return this.#hangs.get(operation) ?? 0;
  }

  /** Counts the call and applies the faults in force: go on, fail, or hang. */
  strike(operation: Operation): Promise<void> {
    this.#calls.set(operation, this.calls(operation) + 1);
    const switched = this.#switched.has(operation);
    let error: { readonly value: unknown } | undefined;
    let hang = switched && this.hanging;
    if (switched && this.down) error = { value: this.#failure(operation) };
    for (const rule of this.#rules) {
      if (!rule.operations.has(operation)) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      if (rule.remaining <= 0) continue;
      rule.remaining--;
      if (rule.hang) hang = true;
      else error ??= { value: rule.error(operation) };
    }
    if (error !== undefined) {
      this.#failures.set(operation, this.failures(operation) + 1);
      return Promise.reject(error.value);
    }
    if (!hang) return Promise.resolve();
    this.#hangs.set(operation, this.hangs(operation) + 1);
    return new Promise((resume) => this.#waiting.push(resume));
  }
}
