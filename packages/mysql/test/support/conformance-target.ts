import type { ConformanceTarget } from '@digests/conformance';
import { afterAll, describe } from 'vitest';
import { MysqlBackend } from '../../src/index.js';
import { dropTables, emptyTables, requireMysql, testPool, uniquePrefix } from './mysql-server.js';

/**
 * Registers `suite` against MySQL (skipped with a message without a server;
 * a failure with `CI` set). Every backend gets tables no other live backend
 * uses: a random prefix of this file's, created once and handed out again
 * only after the backend that had it was closed and its tables emptied
 * (DDL costs tens of milliseconds a table; a case creates several backends).
 * Every table is dropped after the file.
 *
 * @example
 * ```ts
 * await describeMysql('conformance', (target) => runBackendConformance(target));
 * ```
 */
export async function describeMysql(
  tag: string,
  suite: (target: ConformanceTarget) => void,
): Promise<void> {
  const available = await requireMysql();
  describe.skipIf(!available)('MySQL', () => {
    const { pool, end } = testPool();
    const prefixes: string[] = [];
    const free: string[] = [];
    const prefixOf = new WeakMap<object, string>();
    afterAll(async () => {
      await dropTables(pool, prefixes);
      await end();
    });
    suite({
      name: 'mysql',
      create: async (options) => {
        let tablePrefix = free.pop();
        if (tablePrefix === undefined) {
          tablePrefix = uniquePrefix(tag);
          prefixes.push(tablePrefix);
        }
        try {
          const backend = new MysqlBackend({ ...options, pool, tablePrefix });
          prefixOf.set(backend, tablePrefix);
          return backend;
        } catch (error) {
          free.push(tablePrefix);
          throw error;
        }
      },
      destroy: async (backend) => {
        await backend.close();
        const tablePrefix = prefixOf.get(backend);
        if (tablePrefix === undefined) return;
        await emptyTables(pool, tablePrefix);
        free.push(tablePrefix);
      },
      storedItems: (backend) => (backend as MysqlBackend).storedRows(),
    });
  });
}
