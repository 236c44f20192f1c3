export {
  AdapterRegistry,
  type AdapterRegistryOptions,
  type ModuleImporter,
} from './adapter-registry.js';
export { type BuildContext, buildBackend } from './build-backend.js';
export {
  type AdapterConfig,
  type BackendConfig,
  CONTAINER_KINDS,
  type ContainerConfig,
  type DigestsConfig,
  type FallbackConfig,
  type NullConfig,
  type PolyConfig,
  type RetryingConfig,
  type RoutingConfig,
  validateConfig,
} from './config.js';
export {
  createDigestsContainer,
  type DigestsContainerOptions,
  disposeDigestsContainer,
} from './container.js';
export { loadConfig } from './load-config.js';
export { checkOptions, type OptionsConfig, toBackendOptions } from './options-config.js';
export { checkRoute, type RouteConfig } from './route.js';
export { TOKENS } from './tokens.js';
