import { defineTableStoreFactory, z } from '@digests/core';
import { MysqlBackend } from './mysql-backend.js';

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
export const backendFactory = defineTableStoreFactory({
  name: 'mysql',
  description: 'MySQL / MariaDB through mysql2',
  fields: {
    url: z
      .string({ error: 'must be a string such as "mysql://user@host:3306/db"' })
      .regex(/^mysql:\/\//, { error: 'must be a mysql:// URL such as "mysql://user@host:3306/db"' })
      .describe('where MySQL / MariaDB listens, e.g. "mysql://root@127.0.0.1:3306/test"'),
  },
  backend: MysqlBackend,
});

/**
 * The fields of a `"mysql"` config node (besides `backend` and `options`).
 *
 * @example
 * ```ts
 * configSchema.parse({ url: 'mysql://root@127.0.0.1:3306/test', tablePrefix: 'app_' });
 * ```
 */
export const configSchema = backendFactory.configSchema;
