export {
  type BackoffPolicy,
  checkDelays,
  DEFAULT_BACKOFF_DELAYS,
  exponentialDelays,
  infiniteBackoff,
  limitedBackoff,
} from './backoff.js';
export { RetryingBackend, type RetryingBackendOptions } from './retrying-backend.js';
export { type Sleep, sleep } from './sleep.js';
export {
  isNetworkError,
  isTransient,
  NETWORK_ERROR_CODES,
  type TransientPredicate,
} from './transient.js';
