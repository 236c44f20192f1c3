import { defineBackendFactory, tableFields, z } from '@digests/core';
import { PostgresBackend } from './postgres-backend.js';

/**
 * The fields of a `"postgres"` config node (besides `backend` and `options`).
 *
 * @example
 * ```ts
 * configSchema.parse({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema: 'app' });
 * ```
 */
export const configSchema = z
  .strictObject({
    connectionString: z
      .string({ error: 'must be a non-empty string such as "postgres://user@host:5432/db"' })
      .min(1, { error: 'must be a non-empty string such as "postgres://user@host:5432/db"' })
      .describe('where PostgreSQL listens, e.g. "postgres://postgres@127.0.0.1:5432/test"'),
    schema: z
      .string({ error: 'must be a string' })
      .describe('schema of the tables, created if missing (default "public")')
      .optional(),
    ...tableFields('table, index and function'),
  })
  .describe('PostgreSQL through pg');

/**
 * Builds a {@link PostgresBackend} from a config:
 * `{ "backend": "postgres", "connectionString": "postgres://…", "schema": "app", "tablePrefix": "digests_" }`.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'postgres', connectionString: url }, {}, 'root');
 * ```
 */
export const backendFactory = defineBackendFactory({
  name: 'postgres',
  configSchema,
  create: (config, options) => new PostgresBackend({ ...options, ...config }),
});
