import { once } from 'node:events';
import { timed } from '@digests/core';
import { Cluster, Redis } from 'ioredis';
import { REDIS_CATEGORY, type RedisClient } from './lua-script.js';

/** The longest pause between reconnect attempts of an owned client. */
const MAX_RECONNECT_DELAY = 1_000;

/**
 * Opens the client a backend or storage owns (given a URL instead of a
 * client):
 * - `commandTimeout` = `operationTimeout`, so a server that stops answering
 *   (paused, partitioned) fails the command ("Command timed out") instead of
 *   leaving it pending forever;
 * - `connectTimeout` no longer than `operationTimeout`, reconnects every
 *   50 ms … 1 s, and one retry per command, so an unreachable server
 *   surfaces quickly as `BackendUnavailableError` and the caller's retry or
 *   fallback policy decides;
 * - commands already sent when a connection drops are NOT re-sent after the
 *   reconnect (`autoResendUnfulfilledCommands: false`): the server may have
 *   run them, and running an add again after a digest took its record would
 *   deliver that record twice without anyone knowing. The caller gets
 *   `BackendUnavailableError` instead and retries knowingly. (Commands still
 *   queued while disconnected were never sent; those are retried.)
 *
 * @example
 * ```ts
 * const client = openClient('redis://127.0.0.1:6379', 10_000);
 * ```
 */
export function openClient(url: string, operationTimeout = 10_000): Redis {
  const timeout = Math.max(1, Math.ceil(operationTimeout));
  const client = new Redis(url, {
    commandTimeout: timeout,
    connectTimeout: Math.min(timeout, 10_000),
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (times) => Math.min(50 * times, MAX_RECONNECT_DELAY),
  });
  // Failures reach callers through their commands; don't print them twice.
  client.on('error', () => undefined);
  return client;
}

/**
 * Closes a client opened by {@link openClient}: `QUIT` (a `redis` action of
 * the current timeline) when connected, else just disconnects — a client
 * reconnecting to a server that is gone must not wait for it.
 *
 * @example
 * ```ts
 * if (this.#owned) await closeClient(this.#client);
 * ```
 */
export async function closeClient(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const ended = once(client, 'end');
  await timed(REDIS_CATEGORY, 'QUIT', () => client.quit().catch(() => client.disconnect()));
  await ended;
}

/**
 * A URL fit for messages and logs: the password is dropped.
 *
 * @example
 * ```ts
 * redactUrl('redis://:secret@cache:6379/2'); // 'redis://cache:6379/2'
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

/**
 * Names where a client points, for messages: `Redis at redis://host:6379/0`,
 * `Redis Cluster at 10.0.0.1:6379, 10.0.0.2:6379` (its masters known so far).
 * Never shows a password.
 *
 * @example
 * ```ts
 * describeClient(new Redis('redis://127.0.0.1:6380')); // 'Redis at redis://127.0.0.1:6380/0'
 * ```
 */
export function describeClient(client: RedisClient): string {
  if (client instanceof Cluster) {
    const nodes = client.nodes('master').map((node) => `${node.options.host}:${node.options.port}`);
    return nodes.length === 0 ? 'Redis Cluster' : `Redis Cluster at ${nodes.join(', ')}`;
  }
  const { host, port, db, path } = client.options;
  if (path) return `Redis at ${path}`;
  return `Redis at redis://${host ?? '127.0.0.1'}:${port ?? 6379}/${db ?? 0}`;
}
