import { isNetworkError } from '@digests/core';

/** SQLSTATEs that mean "the server or this session went away, or try again". */
const TRANSIENT_CODES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovery)
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57014', // query_canceled (statement_timeout: the statement outlived operationTimeout)
  '55P03', // lock_not_available (lock_timeout)
]);

/** What pg says when the connection is gone (these errors carry no code). */
const CONNECTION_LOST =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Connection ended unexpectedly|Query read timeout/i;

/**
 * Whether a pg / kysely error means "the store could not be reached; safe to
 * retry": connection refused, reset or terminated, admin shutdown (`57P01`),
 * serialization failure (`40001`), deadlock (`40P01`), a statement or
 * lock timeout (`57014`, `55P03`), a client-side query timeout, any
 * connection exception (class `08`). Constraint, syntax and permission errors are not.
 *
 * @example
 * ```ts
 * isTransient(Object.assign(new Error('terminating connection'), { code: '57P01' })); // true
 * isTransient(Object.assign(new Error('duplicate key'), { code: '23505' }));         // false
 * ```
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (TRANSIENT_CODES.has(code) || isNetworkError(error) || /^08[0-9A-Z]{3}$/.test(code)) {
      return true;
    }
  }
  if (typeof message === 'string' && CONNECTION_LOST.test(message)) return true;
  // Node reports a refused dual-stack connect as an AggregateError of both attempts.
  return Array.isArray(errors) && errors.length > 0 && errors.every(isTransient);
}

/**
 * Whether PostgreSQL rolled the transaction back for a reason that a plain
 * retry fixes (serialization failure, deadlock): the backend retries these
 * itself before reporting anything.
 *
 * @example
 * ```ts
 * if (isRetryableConflict(error)) return runAgain();
 * ```
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}
