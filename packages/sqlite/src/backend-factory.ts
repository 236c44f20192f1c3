import { type BackendFactory, ConfigurationError } from '@digests/core';
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
export const backendFactory: BackendFactory = {
  name: 'sqlite',
  create(config, options, path) {
    const { filename, tablePrefix } = config;
    if (typeof filename !== 'string' || filename === '') {
      throw new ConfigurationError(`${path}.filename must be a non-empty string`);
    }
    if (tablePrefix !== undefined && typeof tablePrefix !== 'string') {
      throw new ConfigurationError(`${path}.tablePrefix must be a string`);
    }
    return new SqliteBackend({ ...options, filename, tablePrefix });
  },
};
