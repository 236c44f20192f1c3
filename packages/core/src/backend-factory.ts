import type { z } from 'zod';
import type { Backend } from './backend.js';
import type { BackendOptions } from './options.js';

/**
 * How a config names and builds a backend. Each adapter package exports one
 * as `backendFactory`, so the DI layer finds adapters by name
 * (`{ "backend": "redis" }` → `@digests/redis`) without `@digests/core`
 * importing any adapter.
 *
 * @example
 * ```ts
 * export const backendFactory: BackendFactory = {
 *   name: 'memory',
 *   create: (_config, options) => new MemoryBackend(options),
 * };
 * ```
 */
export interface BackendFactory {
  /** The name configs use: `"memory"`, `"redis"`, `"postgres"`, `"sqlite"`. */
  readonly name: string;
  /**
   * The adapter's own config fields, as a strict zod object (`backend` and
   * `options` are added by the DI layer). When present, a config node naming
   * this adapter is checked against it before anything is built — an unknown
   * field fails with its path and the nearest valid name — and the JSON
   * Schema of configs is generated from it. Build it with the `z` that
   * `@digests/core` exports, so there is one copy of the library.
   */
  readonly configSchema?: z.ZodObject;
  /**
   * Builds a backend from its config section (e.g. `{ backend: 'redis', url, namespace }`)
   * and the resolved shared options. Throws `ConfigurationError` naming
   * `path` + the bad field (e.g. `primary.url must be a string`).
   */
  create(
    config: Readonly<Record<string, unknown>>,
    options: BackendOptions<unknown>,
    path: string,
  ): Backend<unknown> | Promise<Backend<unknown>>;
}
