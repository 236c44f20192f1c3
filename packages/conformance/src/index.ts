/**
 * The conformance suite: every rule of the digests contract as vitest cases
 * that any backend can run.
 *
 * @example
 * ```ts
 * // my-store.test.ts
 * import { runBackendConformance } from '@digests/conformance';
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

export {
  INVALID_KEYS,
  INVALID_OPTIONS,
  MALFORMED_RECORDS,
  UNENCODABLE_VALUES,
} from './bad-input.js';
export { type InputFuzzingOptions, runInputFuzzing } from './fuzz.js';
export {
  faithfulValue,
  invalidBackendOptions,
  invalidKey,
  malformedRecord,
  nastyKey,
  unencodableValue,
} from './fuzz-arbitraries.js';
export { collect, EPOCH, Harness, record, take } from './harness.js';
export { UNUSUAL_KEYS } from './keys.js';
export { ModelRun, replayModelScenario, runModelBasedConformance } from './model-based.js';
export {
  type ModelBasedOptions,
  type ModelCommand,
  type ModelScenario,
  modelCommands,
  modelOptions,
} from './model-commands.js';
export {
  type OptionsStorageTarget,
  runOptionsStorageConformance,
  UNUSUAL_OPTION_NAMES,
} from './options-storage.js';
export { type ModelOptions, ReferenceModel } from './reference-model.js';
export { CONFORMANCE_GROUPS, runBackendConformance } from './run.js';
export type { ConformanceTarget } from './target.js';
