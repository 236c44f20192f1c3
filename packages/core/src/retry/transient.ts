import { BackendUnavailableError } from '../errors.js';

/**
 * Decides whether a failure is worth retrying. Adapters decide what is
 * transient next to their connection (their own `transient.ts` turns driver
 * errors into {@link BackendUnavailableError}); core only reads that verdict.
 *
 * @example
 * ```ts
 * const retry: TransientPredicate = (error) => isTransient(error) || isMyTimeout(error);
 * ```
 */
export type TransientPredicate = (error: unknown) => boolean;

/**
 * Core's verdict: a {@link BackendUnavailableError}, or an `AggregateError`
 * (e.g. a `PolyBackendError`) that holds at least one error, all transient.
 * Anything else — bad input, lease conflicts, a caller's own error — is not.
 *
 * @example
 * ```ts
 * isTransient(new BackendUnavailableError('redis is down'));                 // true
 * isTransient(new PolyBackendError([new BackendUnavailableError('down')])); // true
 * isTransient(new LeaseConflictError('held'));                              // false
 * ```
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof BackendUnavailableError) return true;
  if (error instanceof AggregateError) {
    const errors: unknown[] = Array.isArray(error.errors) ? error.errors : [];
    return errors.length > 0 && errors.every(isTransient);
  }
  return false;
}

/**
 * Node's socket-level error codes that mean "the server could not be
 * reached or went away": a store's `isTransient` accepts them whatever its
 * driver.
 *
 * @example
 * ```ts
 * isNetworkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); // true
 * ```
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether `error` carries one of {@link NETWORK_ERROR_CODES}.
 *
 * @example
 * ```ts
 * if (isNetworkError(error)) return true; // in a store's isTransient
 * ```
 */
export function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_ERROR_CODES.has(code);
}
