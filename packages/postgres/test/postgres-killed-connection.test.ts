import { BackendUnavailableError, type TimelineRecord } from '@digests/core';
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
const T = 1_700_000_000_000;

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
      let now = T;
      const backend = new PostgresBackend({
        pool,
        schema: store.schema,
        tablePrefix: `${uniqueName('k')}_`,
        clock: () => now,
        leaseDuration: 1_000,
        minimumDelay: 0,
      });
      const keys = Array.from({ length: 6 }, (_, i) => `mail:p:${i}`);
      const expected: string[] = [];
      for (let i = 0; i < 60; i++) {
        const key = keys[i % keys.length]!;
        expected.push(`${key}/e${i}`);
        await backend.add(key, { key: `e${i}`, value: { i }, timestamp: T + i });
      }
      const delivered: string[] = [];
      const note = (key: string, records: readonly TimelineRecord[]) => {
        for (const r of records) delivered.push(`${key}/${r.key}`);
      };

      let killed = 0;
      let unavailable = 0;
      for (const key of keys) {
        await backend
          .digest(key, async (records) => {
            killed += await kill(application);
            await new Promise((resolve) => setTimeout(resolve, settle));
            note(key, records);
          })
          .catch((error: unknown) => {
            expect(error).toBeInstanceOf(BackendUnavailableError);
            unavailable++;
          });
      }
      expect(killed).toBeGreaterThan(0);

      // Once the leases of the interrupted digests expire, everything left is delivered.
      now += 2_000;
      for (let round = 0; round < 5 && (await backend.storedRows()) > 0; round++) {
        await backend.maintenance(now);
        for await (const { key } of backend.schedule(now)) {
          await backend.digest(key, (records) => note(key, records));
        }
      }
      expect(new Set(delivered)).toEqual(new Set(expected));
      if (settle > 0) expect(unavailable).toBe(0);
      expect(delivered.length).toBe(expected.length + (delivered.length - new Set(delivered).size));
      expect(await backend.storedRows()).toBe(0);
      await backend.close();
      await pool.end();
    });
  }
});
