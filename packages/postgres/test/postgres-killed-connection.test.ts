import { digestThroughKills } from '@digests/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresBackend } from '../src/index.js';
import {
  DATABASE_URL,
  requirePostgres,
  testSchema,
  uniqueName,
} from './support/postgres-server.js';

const available = await requirePostgres();

describe.skipIf(!available)('PostgreSQL connection killed mid-digest', () => {
  let store: Awaited<ReturnType<typeof testSchema>>;
  beforeAll(async () => {
    store = await testSchema('killed');
  });
  afterAll(async () => {
    await store.drop();
  });

  /** Kills every server process of `application` (`pg_terminate_backend`). */
  const kill = async (application: string) => {
    const { rows } = await store.pool.query(
      `select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = $1`,
      [application],
    );
    return rows.length;
  };

  for (const settle of [0, 100]) {
    it(`loses nothing (killed ${settle === 0 ? 'just before' : `${settle} ms before`} the commit)`, async () => {
      const application = uniqueName('digests_kill');
      const pool = new pg.Pool({
        connectionString: DATABASE_URL,
        application_name: application,
        max: 2,
      });
      pool.on('error', () => undefined);
      let killed = 0;
      const run = await digestThroughKills(
        (clock) =>
          new PostgresBackend({
            pool,
            schema: store.schema,
            tablePrefix: `${uniqueName('k')}_`,
            clock,
            leaseDuration: 1_000,
            minimumDelay: 0,
          }),
        async () => {
          killed += await kill(application);
          await new Promise((resolve) => setTimeout(resolve, settle));
        },
      );
      expect(killed).toBeGreaterThan(0);
      expect(new Set(run.delivered)).toEqual(new Set(run.expected));
      if (settle > 0) expect(run.unavailable).toBe(0);
      expect(run.storedAfter).toBe(0);
      await pool.end();
    });
  }
});
