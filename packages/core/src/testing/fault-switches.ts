import { type FaultOptions, FaultRules } from './fault-rules.js';

/**
 * The operations a backend and a store both have, under the same name:
 * what `FaultyBackend` and `FaultyStore` can both fail.
 *
 * @example
 * ```ts
 * store.failOn(SHARED_OPERATIONS, { times: 1 }); // each fails once
 * ```
 */
export const SHARED_OPERATIONS = Object.freeze([
  'flush',
  'delete',
  'inspect',
  'remove',
  'list',
  'quarantined',
  'deleteQuarantined',
  'peek',
] as const);

/** One of {@link SHARED_OPERATIONS}. */
export type SharedOperation = (typeof SHARED_OPERATIONS)[number];

/**
 * The control surface `FaultyBackend` and `FaultyStore` share: the `down`
 * and `hanging` switches, `failOn` / `hangOn` rules, `heal()` and the
 * per-operation counts. A wrapper extends it and calls `strike(operation)`
 * before it lets a call reach what it wraps.
 *
 * @example
 * ```ts
 * class FaultyThing extends FaultSwitches<'read'> {
 *   constructor(readonly inner: Thing) { super(['read'], (op) => new Error(op)); }
 *   async read() { await this.strike('read'); return this.inner.read(); }
 * }
 * ```
 */
export abstract class FaultSwitches<Operation extends string> {
  readonly #faults: FaultRules<Operation>;

  /**
   * @param switched the operations the `down` and `hanging` switches affect
   * @param failure the default (transient) failure
   */
  protected constructor(
    switched: readonly Operation[],
    failure: (operation: Operation) => unknown,
  ) {
    this.#faults = new FaultRules(switched, failure);
  }

  /** While `true`, every switched operation fails with the wrapper's transient failure. */
  get down(): boolean {
    return this.#faults.down;
  }

  set down(value: boolean) {
    this.#faults.down = value;
  }

  /**
   * While `true`, every switched operation never answers (a store stopped
   * with SIGSTOP); `heal()` lets the hung calls through, as a resumed store
   * would answer them.
   */
  get hanging(): boolean {
    return this.#faults.hanging;
  }

  set hanging(value: boolean) {
    this.#faults.hanging = value;
  }

  /** Adds a rule; returns `this` for chaining. */
  failOn(
    operations: Operation | readonly Operation[],
    options: FaultOptions<Operation> = {},
  ): this {
    this.#faults.failOn(operations, options);
    return this;
  }

  /** Makes these operations hang until `heal()` (see `FaultOptions.hang`); returns `this`. */
  hangOn(
    operations: Operation | readonly Operation[],
    options: Omit<FaultOptions<Operation>, 'hang' | 'error'> = {},
  ): this {
    this.#faults.failOn(operations, { ...options, hang: true });
    return this;
  }

  /** Clears every rule, turns both switches off and lets hung calls through. */
  heal(): void {
    this.#faults.heal();
  }

  /** How many calls of `operation` the wrapper saw (failed and hung ones included). */
  calls(operation: Operation): number {
    return this.#faults.calls(operation);
  }

  /** How many calls of `operation` it failed. */
  failures(operation: Operation): number {
    return this.#faults.failures(operation);
  }

  /** How many calls of `operation` it held (hung). */
  hangs(operation: Operation): number {
    return this.#faults.hangs(operation);
  }

  /** Counts the call and applies the faults in force: resolves (go on), rejects, or hangs. */
  protected strike(operation: Operation): Promise<void> {
    return this.#faults.strike(operation);
  }
}
