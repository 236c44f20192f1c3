import { BackendUnavailableError, DigestsError } from '@digests/core';

/** Socket-level failures: the server could not be reached or went away. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Server replies that mean "not now": loading, failing over, resharding, busy. */
const TRANSIENT_REPLIES = /^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|BUSY)\b/;

/** ioredis's own messages for a connection that is gone or not ready. */
const TRANSIENT_MESSAGES = [
  'Connection is closed.',
  'Command timed out',
  'None of startup nodes is available',
  'Cluster is disconnected.',
  'Node is disconnected',
  'Failed to refresh slots cache.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  "Cluster isn't ready and enableOfflineQueue options is false",
];

const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);

/**
 * Whether a Redis error is transient — the store could not be reached or is
 * briefly unable to serve (connection refused/reset, timeouts, `LOADING`,
 * `CLUSTERDOWN`, `TRYAGAIN`, …) — so the same call may succeed if retried.
 * Script errors, wrong types and our own {@link DigestsError}s are not.
 *
 * @example
 * ```ts
 * try {
 *   await client.ping();
 * } catch (error) {
 *   if (isTransient(error)) scheduleRetry();
 * }
 * ```
 */
export function isTransient(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || error instanceof DigestsError || depth > 4) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  if (TRANSIENT_REPLIES.test(error.message)) return true;
  if (TRANSIENT_MESSAGES.some((message) => error.message.startsWith(message))) return true;
  // Node's happy-eyeballs connect and ioredis's cluster wrap the real failure.
  if (
    error instanceof AggregateError &&
    error.errors.some((inner) => isTransient(inner, depth + 1))
  )
    return true;
  const { lastNodeError } = error as { lastNodeError?: unknown };
  return lastNodeError !== undefined && isTransient(lastNodeError, depth + 1);
}

/**
 * The error a backend operation rejects with: transient failures become
 * {@link BackendUnavailableError} carrying the original as `cause`; anything
 * else (our own errors included) passes through unchanged.
 *
 * @example
 * ```ts
 * try { return await run(); } catch (error) { throw toBackendError(error); }
 * ```
 */
export function toBackendError(error: unknown): unknown {
  if (!isTransient(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BackendUnavailableError(`Redis is unavailable: ${message}`, { cause: error });
}
