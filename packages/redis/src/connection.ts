import { once } from 'node:events';
import { timed } from '@digests/core';
import { Redis } from 'ioredis';
import { REDIS_CATEGORY, type RedisClient } from './lua-script.js';

/**
 * Opens the client a backend or storage owns (given a URL instead of a
 * client). One retry per command, so an unreachable server surfaces quickly
 * as `BackendUnavailableError` and the caller's retry policy decides.
 *
 * Commands already sent when a connection drops are NOT re-sent after the
 * reconnect (ioredis's default): the server may have run them, and running
 * an add again after a digest took its record would deliver that record
 * twice without anyone knowing. The caller gets `BackendUnavailableError`
 * instead and retries knowingly. (Commands still queued while disconnected
 * were never sent; those are retried.)
 *
 * @example
 * ```ts
 * const client = openClient('redis://127.0.0.1:6379');
 * ```
 */
export function openClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, autoResendUnfulfilledCommands: false });
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
