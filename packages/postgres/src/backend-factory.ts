import { type BackendFactory, ConfigurationError } from '@digests/core';
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
export const backendFactory: BackendFactory = {
  name: 'postgres',
  create(config, options, path) {
    const { connectionString, schema, tablePrefix } = config;
    if (typeof connectionString !== 'string' || connectionString === '') {
      throw new ConfigurationError(`${path}.connectionString must be a non-empty string`);
    }
    for (const [field, value] of Object.entries({ schema, tablePrefix })) {
      if (value !== undefined && typeof value !== 'string') {
        throw new ConfigurationError(`${path}.${field} must be a string`);
      }
    }
    return new PostgresBackend({
      ...options,
      connectionString,
      schema: schema as string | undefined,
      tablePrefix: tablePrefix as string | undefined,
    });
  },
};
