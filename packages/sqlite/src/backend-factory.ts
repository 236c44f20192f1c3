import { defineTableStoreFactory, locationField, z } from '@digests/core';
import { SqliteBackend } from './sqlite-backend.js';

/**
 * Builds a {@link SqliteBackend} from a config:
 * `{ "backend": "sqlite", "filename": "./digests.db", "tablePrefix": "digests_" }`.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'sqlite', filename: ':memory:' }, {}, 'root');
 * ```
 */
export const backendFactory = defineTableStoreFactory({
  name: 'sqlite',
  description: 'SQLite through better-sqlite3: one file, safe across processes',
  fields: {
    filename: locationField(
      'must be a non-empty string (a file path, or ":memory:")',
      'the database file (created if missing; its folder must exist), or ":memory:"',
    ),
    busyTimeout: z
      .number({ error: 'must be a number of milliseconds ≥ 0' })
      .min(0, { error: 'must be a number of milliseconds ≥ 0' })
      .describe("how long a write waits for another connection's lock (ms)")
      .optional(),
  },
  backend: SqliteBackend,
});
