import type { ConformanceTarget } from '@digests/conformance';
import type pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { PostgresBackend } from '../../src/index.js';
import { requirePostgres, testSchema } from './postgres-server.js';

/**
 * Registers `suite` against PostgreSQL (skipped with a message without a
 * server; a failure with `CI` set): one schema per test file, named after
 * `tag`, and fresh tables (a new prefix) for every backend the suite creates.
 *
 * @example
 * ```ts
 * await describePostgres('conformance', (target) => runBackendConformance(target));
 * ```
 */
export async function describePostgres(
  tag: string,
  suite: (target: ConformanceTarget) => void,
): Promise<void> {
  const available = await requirePostgres();
  describe.skipIf(!available)('PostgreSQL', () => {
    let schema: string;
    let pool: pg.Pool;
    let drop: () => Promise<void>;
    let created = 0;
    beforeAll(async () => {
      ({ schema, pool, drop } = await testSchema(tag));
    });
    afterAll(async () => {
      await drop();
    });
    suite({
      name: 'postgres',
      create: async (options) =>
        new PostgresBackend({ ...options, pool, schema, tablePrefix: `t${++created}_` }),
      storedItems: (backend) => (backend as PostgresBackend).storedRows(),
    });
  });
}
