import { runInputFuzzing } from '@digests/core/conformance';
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
    ({ schema, pool, drop } = await testSchema('fuzz'));
  });
  afterAll(async () => {
    await drop();
  });

  // One schema for the file; each fuzzed property gets its own tables (a fresh prefix).
  runInputFuzzing(
    {
      name: 'postgres',
      create: async (options) =>
        new PostgresBackend({ ...options, pool, schema, tablePrefix: `f${++created}_` }),
      storedItems: (backend) => (backend as PostgresBackend).storedRows(),
    },
    { numRuns: 100 },
  );
});
