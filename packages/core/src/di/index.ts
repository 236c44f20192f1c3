/**
 * The schema library the config schemas are written with, re-exported so an
 * adapter's `configSchema` and core's share one copy.
 *
 * @example
 * ```ts
 * import { z } from '@digests/core';
 * export const configSchema = z.strictObject({ filename: z.string() });
 * ```
 */
export { z } from 'zod';
export {
  AdapterRegistry,
  type AdapterRegistryOptions,
  KNOWN_ADAPTERS,
  type ModuleImporter,
} from './adapter-registry.js';
export { type BuildContext, buildBackend } from './build-backend.js';
export {
  type AdapterConfig,
  type BackendConfig,
  CONTAINER_KINDS,
  type ContainerConfig,
  checkAdapterConfig,
  type DigestsConfig,
  type FallbackConfig,
  type KeyRuleConfig,
  type NullConfig,
  type PolyConfig,
  type RetryingConfig,
  type RoutingConfig,
  rootNode,
  validateConfig,
  type WorkerConfig,
} from './config.js';
export { describeValue, named, parseConfig } from './config-issue.js';
export {
  adapterNodeSchema,
  configSchema,
  containerSchemas,
  keyRuleSchema,
  windowSchema,
  workerSchema,
} from './config-schema.js';
export {
  createDigestsContainer,
  type DigestsContainerOptions,
  disposeDigestsContainer,
} from './container.js';
export {
  type BackendFactoryDefinition,
  defineBackendFactory,
} from './define-backend-factory.js';
export {
  defineTableStoreFactory,
  type TableStoreFactoryDefinition,
} from './define-table-store-factory.js';
export { configJsonSchema } from './json-schema.js';
export { keyOptionsFromRules } from './key-rules.js';
export { loadConfig, parseJson } from './load-config.js';
export { nearestName } from './nearest-name.js';
export {
  checkOptions,
  countOf,
  milliseconds,
  type OptionsConfig,
  optionsSchema,
  positiveMilliseconds,
  toBackendOptions,
} from './options-config.js';
export { checkRoute, type RouteConfig, routeSchema } from './route.js';
export {
  locationField,
  type PrefixedTables,
  prefixedTables,
  type TableOptions,
  tableFields,
  tableOptions,
} from './table-fields.js';
export { TOKENS } from './tokens.js';
