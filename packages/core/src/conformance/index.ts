/**
 * The conformance suite: every rule of the digests contract as vitest cases
 * that any backend can run.
 *
 * @example
 * ```ts
 * // my-store.test.ts
 * import { runBackendConformance } from '@digests/core/conformance';
 * import { MyStoreBackend } from '../src/index.js';
 *
 * runBackendConformance({
 *   name: 'my-store',
 *   create: async (options) => new MyStoreBackend({ ...options, url: process.env.MY_STORE_URL }),
 * });
 * ```
 *
 * @module
 */
export type { ConformanceTarget } from './target.js';
export { runBackendConformance } from './run.js';
