/**
 * Test helpers for code built on digests backends: a fault-injecting
 * wrapper for failure tests.
 *
 * @example
 * ```ts
 * import { FaultyBackend } from '@digests/core/testing';
 *
 * const redis = new FaultyBackend(new MemoryBackend());
 * redis.down = true;
 * ```
 *
 * @module
 */
export {
  type FaultOptions,
  FaultyBackend,
  type FaultyOperation,
  STORE_OPERATIONS,
} from './faulty-backend.js';
