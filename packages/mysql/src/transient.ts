import { isNetworkError } from '@digests/core';

/** Server errors that mean "try again": the statement or session was cut short. */
const TRANSIENT_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR: too many connections
  1053, // ER_SERVER_SHUTDOWN
  1205, // ER_LOCK_WAIT_TIMEOUT
  1213, // ER_LOCK_DEADLOCK
  1317, // ER_QUERY_INTERRUPTED (KILL QUERY)
  1927, // ER_CONNECTION_KILLED (MariaDB, KILL)
  1969, // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  2006, // CR_SERVER_GONE_ERROR: MySQL server has gone away
  2013, // CR_SERVER_LOST
  3024, // ER_QUERY_TIMEOUT (MySQL max_execution_time)
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8 idle disconnect)
]);

/** Client-side codes of mysql2 for a connection that is gone (Node's socket codes: core's `isNetworkError`). */
const TRANSIENT_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
]);

/** What mysql2 says, without a code, about a connection that was closed under it. */
const CONNECTION_GONE =
  /connection is in closed state|Connection lost|server has gone away|Queue limit reached|Timeout acquiring a connection/i;

/**
 * Whether a mysql2 / kysely error means "the store could not be reached or
 * cut the statement short; safe to retry": connection refused, lost or
 * killed, server shutdown or gone away, too many connections, deadlock, lock
 * wait timeout, query or connect timeout. Duplicate keys, syntax and
 * permission errors are not.
 *
 * @example
 * ```ts
 * isTransient(Object.assign(new Error('Deadlock found'), { errno: 1213 })); // true
 * isTransient(Object.assign(new Error('Unknown column'), { errno: 1054 })); // false
 * ```
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errno, code, message, fatal, errors } = error as {
    errno?: unknown;
    code?: unknown;
    message?: unknown;
    fatal?: unknown;
    errors?: unknown;
  };
  if (typeof errno === 'number' && TRANSIENT_ERRNOS.has(errno)) return true;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (isNetworkError(error)) return true;
  if (typeof message === 'string' && CONNECTION_GONE.test(message)) return true;
  // A fatal error without a server errno is the socket itself failing.
  if (fatal === true && typeof errno !== 'number') return true;
  // Node reports a refused dual-stack connect as an AggregateError of both attempts.
  return Array.isArray(errors) && errors.length > 0 && errors.every(isTransient);
}

/**
 * Whether InnoDB rolled the statement back for a reason a fresh run of the
 * whole transaction fixes (deadlock 1213, lock wait timeout 1205): the store
 * retries these itself before reporting anything.
 *
 * @example
 * ```ts
 * if (isRetryableConflict(error)) return runAgain();
 * ```
 */
export function isRetryableConflict(error: unknown): boolean {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return errno === 1213 || errno === 1205;
}
