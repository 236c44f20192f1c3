import { ConfigurationError, defineBackendFactory, z } from '@digests/core';
import { RedisBackend } from './redis-backend.js';

/**
 * The fields of a `"redis"` config node (besides `backend` and `options`):
 * where to connect — a `url`, or `host`/`port`/`tls`/`db`, not both — and
 * how keys are named.
 *
 * @example
 * ```ts
 * configSchema.parse({ host: 'redis.internal', port: 6380, tls: true, namespace: 'mail' });
 * ```
 */
export const configSchema = z
  .strictObject({
    url: z
      .string({ error: 'must be a string such as "redis://127.0.0.1:6379"' })
      .regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' })
      .describe('where Redis listens, e.g. "redis://127.0.0.1:6379" (default); rediss:// for TLS')
      .optional(),
    host: z
      .string({ error: 'must be a host name or address' })
      .min(1, { error: 'must be a host name or address' })
      .describe('instead of url: the host (default 127.0.0.1)')
      .optional(),
    port: z
      .int({ error: 'must be a port number from 1 to 65535' })
      .min(1, { error: 'must be a port number from 1 to 65535' })
      .max(65535, { error: 'must be a port number from 1 to 65535' })
      .describe('instead of url: the port (default 6379)')
      .optional(),
    tls: z
      .boolean({ error: 'must be a boolean' })
      .describe('instead of url: connect with TLS (default false)')
      .optional(),
    db: z
      .int({ error: 'must be a database number ≥ 0' })
      .min(0, { error: 'must be a database number ≥ 0' })
      .describe('instead of url: the database number (default 0)')
      .optional(),
    namespace: z
      .string({ error: 'must be a string' })
      .describe('prefix of every key: 1–64 of A–Z a–z 0–9 _ . - (default "d")')
      .optional(),
    shards: z
      .int({ error: 'must be an integer from 1 to 1024' })
      .describe('schedule shards (1–1024, default 16); fixed for the life of the data')
      .optional(),
  })
  .describe('Redis through ioredis');

/**
 * Builds a {@link RedisBackend} from a config section:
 * `{ "backend": "redis", "url": "redis://…", "namespace": "mail", "shards": 16 }`,
 * or `{ "backend": "redis", "host": "…", "port": 6380, "tls": true }`.
 * The backend owns the connection it opens.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'redis', url: process.env.REDIS_URL }, {}, 'primary');
 * ```
 */
export const backendFactory = defineBackendFactory({
  name: 'redis',
  configSchema,
  create: ({ url, host, port, tls, db, namespace, shards }, options, path) => {
    const parts = { host, port, tls, db };
    const given = Object.keys(parts).filter(
      (field) => parts[field as keyof typeof parts] !== undefined,
    );
    if (url !== undefined && given.length > 0) {
      throw new ConfigurationError(
        `${path}.${given[0]} cannot be combined with ${path}.url: give a url, or host/port/tls/db`,
      );
    }
    const address =
      url ??
      (given.length === 0
        ? undefined
        : `${tls ? 'rediss' : 'redis'}://${hostInUrl(host ?? '127.0.0.1')}:${port ?? 6379}/${db ?? 0}`);
    return new RedisBackend({
      ...options,
      ...(address === undefined ? {} : { url: address }),
      ...(namespace === undefined ? {} : { namespace }),
      ...(shards === undefined ? {} : { shards }),
    });
  },
});

/** An IPv6 address goes in brackets inside a URL. */
function hostInUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
