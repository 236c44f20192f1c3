import { defineBackendFactory, tableFields, z } from '@digests/core';
import { MysqlBackend } from './mysql-backend.js';

/**
 * The fields of a `"mysql"` config node (besides `backend` and `options`).
 *
 * @example
 * ```ts
 * configSchema.parse({ url: 'mysql://root@127.0.0.1:3306/test', tablePrefix: 'app_' });
 * ```
 */
export const configSchema = z
  .strictObject({
    url: z
      .string({ error: 'must be a string such as "mysql://user@host:3306/db"' })
      .regex(/^mysql:\/\//, { error: 'must be a mysql:// URL such as "mysql://user@host:3306/db"' })
      .describe('where MySQL / MariaDB listens, e.g. "mysql://root@127.0.0.1:3306/test"'),
    ...tableFields('table and index'),
  })
  .describe('MySQL / MariaDB through mysql2');

/**
 * Builds a {@link MysqlBackend} from a config:
 * `{ "backend": "mysql", "url": "mysql://root@127.0.0.1:3306/test", "tablePrefix": "digests_" }`.
 * The backend owns the pool it opens.
 *
 * @example
 * ```ts
 * const backend = await backendFactory.create({ backend: 'mysql', url }, {}, 'root');
 * ```
 */
export const backendFactory = defineBackendFactory({
  name: 'mysql',
  configSchema,
  create: (config, options) => new MysqlBackend({ ...options, ...config }),
});
