import { defineBackendFactory, tableFields, z } from '@digests/core';
import { SqliteBackend } from './sqlite-backend.js';

/**
 * The fields of a `"sqlite"` config node (besides `backend` and `options`).
 *
 * @example
 * ```ts
 * configSchema.parse({ filename: './digests.db', tablePrefix: 'app_digests_' });
 * ```
 */
export const configSchema = z
  .strictObject({
    filename: z
      .string({ error: 'must be a non-empty string (a file path, or ":memory:")' })
      .min(1, { error: 'must be a non-empty string (a file path, or ":memory:")' })
      .describe('the database file (created if missing; its folder must exist), or ":memory:"'),
    ...tableFields('table and index'),
    busyTimeout: z
      .number({ error: 'must be a number of milliseconds ≥ 0' })
      .min(0, { error: 'must be a number of milliseconds ≥ 0' })
      .describe("how long a write waits for another connection's lock (ms)")
      .optional(),
  })
  .describe('SQLite through better-sqlite3: one file, safe across processes');

/**
 * Builds a {@link SqliteBackend} from a config:
 * `{ "backend": "sqlite", "filename": "./digests.db", "tablePrefix": "digests_" }`.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'sqlite', filename: ':memory:' }, {}, 'root');
 * ```
 */
export const backendFactory = defineBackendFactory({
  name: 'sqlite',
  configSchema,
  create: (config, options) => new SqliteBackend({ ...options, ...config }),
});
