import { runBackendConformance } from '@digests/core/conformance';
import type pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { PostgresBackend } from '../src/index.js';
import { requirePostgres, testSchema } from './support/postgres-server.js';

const available = await requirePostgres();

describe.skipIf(!available)('PostgreSQL', () => {
  let schema: string;
  let pool: pg.Pool;
  let drop: () => Promise<void>;
  let created = 0;
  beforeAll(async () => {
    ({ schema, pool, drop } = await testSchema('conformance'));
  });
  afterAll(async () => {
    await drop();
  });

  // One schema for the file; each backend gets its own tables (a fresh prefix).
  runBackendConformance({
    name: 'postgres',
    create: async (options) =>
      new PostgresBackend({ ...options, pool, schema, tablePrefix: `t${++created}_` }),
    storedItems: (backend) => (backend as PostgresBackend).storedRows(),
  });
});
