/**
 * The digests conformance kit: every rule of the contract (`docs/contract.md`)
 * as vitest cases, a model-based runner and input fuzzing, for any store or
 * backend — one call runs them all.
 *
 * @example
 * ```ts
 * // my-store.test.ts
 * import { runConformance } from '@digests/conformance';
 * import { MyStore } from '../src/index.js';
 *
 * runConformance({ name: 'my-store', createStore: async () => new MyStore(process.env.MY_STORE_URL) });
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
export { POISON, POISON_TEXT, PoisonCodec, rawText } from './poison-codec.js';
export { propertyRuns } from './property-runs.js';
export { type ModelOptions, ReferenceModel } from './reference-model.js';
export { type CaseName, RULE_IDS, type RuleId, ruleLink } from './rules.js';
export {
  type CaseSelection,
  CONFORMANCE_GROUPS,
  type ConformanceGroup,
  type ConformanceOptions,
  runBackendConformance,
  runConformance,
} from './run.js';
export {
  backendTarget,
  type ConformanceTarget,
  type KitTarget,
  type StoreTarget,
  storedItemsOf,
} from './target.js';
