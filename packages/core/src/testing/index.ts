/**
 * Test helpers for code built on digests backends: fault-injecting
 * wrappers for failure tests — `FaultyBackend` around a backend, and
 * `FaultyStore` around a store, under the front that owns timeouts.
 *
 * @example
 * ```ts
 * import { FaultyBackend, FaultyStore } from '@digests/core/testing';
 *
 * const redis = new FaultyBackend(new MemoryBackend());
 * redis.down = true;
 * const hung = new FaultyStore(new MemoryStore());
 * hung.hanging = true;
 * ```
 *
 * @module
 */

export { SHARED_OPERATIONS, type SharedOperation } from './fault-switches.js';
export {
  type FaultOptions,
  FaultyBackend,
  type FaultyOperation,
  STORE_OPERATIONS,
} from './faulty-backend.js';
export {
  FaultyStore,
  type FaultyStoreOptions,
  type FaultyStoreStep,
  InjectedStoreFailure,
  STORE_STEPS,
} from './faulty-store.js';
export {
  type CountedBackend,
  digestThroughKills,
  type KilledConnectionRun,
} from './killed-connection.js';
