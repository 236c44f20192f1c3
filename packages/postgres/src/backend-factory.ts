import { defineTableStoreFactory, locationField, z } from '@digests/core';
import { PostgresBackend } from './postgres-backend.js';

/**
 * Builds a {@link PostgresBackend} from a config:
 * `{ "backend": "postgres", "connectionString": "postgres://…", "schema": "app", "tablePrefix": "digests_" }`.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'postgres', connectionString: url }, {}, 'root');
 * ```
 */
export const backendFactory = defineTableStoreFactory({
  name: 'postgres',
  description: 'PostgreSQL through pg',
  objects: 'table, index and function',
  fields: {
    connectionString: locationField(
      'must be a non-empty string such as "postgres://user@host:5432/db"',
      'where PostgreSQL listens, e.g. "postgres://postgres@127.0.0.1:5432/test"',
    ),
    schema: z
      .string({ error: 'must be a string' })
      .describe('schema of the tables, created if missing (default "public")')
      .optional(),
  },
  backend: PostgresBackend,
});
