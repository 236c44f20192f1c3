import { BackendUnavailableError, DigestsError, isNetworkError } from '@digests/core';

/**
 * Server replies that mean "not now": loading, failing over, resharding,
 * busy — and a redirection (`MOVED`, `ASK`) the client could not follow
 * while the cluster's slot map was changing.
 */
const TRANSIENT_REPLIES =
  /^(?:[A-Za-z]*Error: )?(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|BUSY|MOVED|ASK|NOREPLICAS)\b/;

/** ioredis's own messages for a connection or cluster that is gone or not ready. */
const TRANSIENT_MESSAGES = [
  'Connection is closed.',
  'Command timed out',
  'None of startup nodes is available',
  'Cluster is disconnected.',
  'Node is disconnected',
  'Failed to refresh slots cache.',
  'Too many Cluster redirections',
  'Reached the max retries per request limit',
  "Stream isn't writeable and enableOfflineQueue options is false",
  "Cluster isn't ready and enableOfflineQueue options is false",
];

const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);

/**
 * Whether a Redis error is transient — the store could not be reached, did
 * not answer in time, or is failing over — so the same call may succeed if
 * retried: connection refused/reset, timeouts, `LOADING`, `CLUSTERDOWN`,
 * `TRYAGAIN`, `MOVED`/`ASK` loops, redirection exhaustion ("Too many Cluster
 * redirections", whatever it wraps), "Connection is closed." during a
 * failover. Script errors, wrong types and our own {@link DigestsError}s are
 * not (so `BackendClosedError` stays permanent).
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
  if (isNetworkError(error)) return true;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  if (TRANSIENT_REPLIES.test(error.message)) return true;
  if (TRANSIENT_MESSAGES.some((message) => error.message.startsWith(message))) return true;
  // Node's happy-eyeballs connect and ioredis's cluster wrap the real failure.
  if (
    error instanceof AggregateError &&
    error.errors.some((inner) => isTransient(inner, depth + 1))
  ) {
    return true;
  }
  const { lastNodeError } = error as { lastNodeError?: unknown };
  if (lastNodeError !== undefined && isTransient(lastNodeError, depth + 1)) return true;
  return error.cause !== undefined && isTransient(error.cause, depth + 1);
}

/** Plain words for socket failures, so "unavailable" says why. */
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection broken',
  ETIMEDOUT: 'connect timed out',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'name lookup failed',
};

/**
 * Why a connection failed, in plain words (`connection refused`), from a
 * socket error or one that wraps it; `undefined` when it does not say.
 *
 * @example
 * ```ts
 * connectionReason(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
 * // 'connection refused'
 * ```
 */
export function connectionReason(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && REASONS[code] !== undefined) return REASONS[code];
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const reason = connectionReason(inner, depth + 1);
      if (reason !== undefined) return reason;
    }
  }
  return connectionReason(error.cause, depth + 1);
}

/**
 * The error a backend operation rejects with: transient failures become
 * {@link BackendUnavailableError} carrying the original as `cause`; anything
 * else (our own errors included) passes through unchanged. Used by
 * `RedisOptionsStorage` and `redisCommand`; the backend's front does the
 * same through the store's `isTransient`.
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
