import { connect } from 'node:net';
import type { DigestsConfig } from '@digests/core';

/**
 * The `redis://` URLs a config names, found anywhere in the tree.
 *
 * @example
 * ```ts
 * redisUrls({ backend: 'redis', url: 'redis://127.0.0.1:6379' }); // ['redis://127.0.0.1:6379']
 * ```
 */
export function redisUrls(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return [];
  if (Array.isArray(node)) return node.flatMap(redisUrls);
  const fields = node as Record<string, unknown>;
  const own =
    fields.backend === 'redis'
      ? [typeof fields.url === 'string' ? fields.url : 'redis://127.0.0.1:6379']
      : [];
  return [...own, ...Object.values(fields).flatMap(redisUrls)];
}

/**
 * Whether something accepts TCP connections at `url`'s host and port, within 500 ms.
 *
 * @example
 * ```ts
 * if (!(await reachable('redis://127.0.0.1:6379'))) console.log('Redis is down');
 * ```
 */
export function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379), timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

export type { DigestsConfig };
