export {
  CircuitBreakerBackend,
  type CircuitBreakerBackendOptions,
} from './circuit-breaker-backend.js';
export { FallbackBackend, type FallbackBackendOptions } from './fallback-backend.js';
export { FallbackMover, type FallbackMoverOptions, type MoveReport } from './fallback-mover.js';
export { type Logger, silentLogger } from './logger.js';
export { mergeRecords } from './merged-digest.js';
export { combineInfo, MergedReads, type MergedReadsOptions } from './merged-reads.js';
export { NullBackend } from './null-backend.js';
export { PolyBackend, type PolyBackendOptions } from './poly-backend.js';
export { PolyBackendError } from './poly-backend-error.js';
export { RoutingBackend, type RoutingBackendOptions } from './routing-backend.js';
