import { runModelBasedConformance } from '@digests/core/conformance';
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
    ({ schema, pool, drop } = await testSchema('model'));
  });
  afterAll(async () => {
    await drop();
  });

  // One schema for the file; each generated sequence gets its own tables (a fresh prefix).
  runModelBasedConformance(
    {
      name: 'postgres',
      create: async (options) =>
        new PostgresBackend({ ...options, pool, schema, tablePrefix: `m${++created}_` }),
      storedItems: (backend) => (backend as PostgresBackend).storedRows(),
    },
    { numRuns: 15, maxCommands: 30 },
  );
});
