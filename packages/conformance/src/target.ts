import type { Backend, BackendOptions } from '@digests/core';

/**
 * What a store hands the conformance suite: how to build a fresh, empty
 * backend per test, and optionally how to look into the store directly.
 *
 * @example
 * ```ts
 * runBackendConformance({
 *   name: 'memory',
 *   create: async (options) => new MemoryBackend(options),
 *   storedItems: async (backend) => (backend as MemoryBackend).storedItems,
 * });
 * ```
 */
export interface ConformanceTarget {
  /** Shown in the `describe` titles. */
  readonly name: string;
  /**
   * A fresh, empty backend built with `options` (always including `clock`).
   * Must reject `ConfigurationError` for invalid options.
   */
  create(options: BackendOptions<unknown>): Promise<Backend<unknown>>;
  /** Called after each test with every backend `create` returned. Default: `close()`. */
  destroy?(backend: Backend<unknown>): Promise<void>;
  /**
   * Reads the store directly: how many keys / rows / entries this backend
   * holds right now (0 when it holds nothing). Enables the "bad input writes
   * nothing" and "a drained backend leaks nothing" checks.
   */
  storedItems?(backend: Backend<unknown>): Promise<number>;
  /**
   * Case titles to leave out, e.g. `['leases: renewal keeps the lease while fn runs']`.
   * Each needs a reason next to it in the caller's code.
   */
  readonly skip?: readonly string[];
}
