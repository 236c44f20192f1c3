import { DEFAULT_DIGEST_LIMIT } from '@digests/core';
import { digestLargeTimeline } from '@digests/sql/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresBackend } from '../../src/index.js';
import { requirePostgres, testSchema } from '../support/postgres-server.js';

const available = await requirePostgres();
const MB = 1024 * 1024;
// 200 000 on a quiet machine; CI runs fewer to stay inside its time budget.
const RECORDS = Number(process.env.DIGESTS_LARGE_RECORDS ?? 50_000);

describe.skipIf(!available)('PostgreSQL large timeline', () => {
  let schema: string;
  let pool: pg.Pool;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ schema, pool, drop } = await testSchema('large'));
  });
  afterAll(async () => {
    await drop();
  });

  it('a large timeline of 1 KB records is digested at the worker’s limit in bounded memory', async () => {
    const backend = new PostgresBackend({ pool, schema, operationTimeout: 60_000 });
    const run = await digestLargeTimeline(backend, {
      records: RECORDS,
      limit: DEFAULT_DIGEST_LIMIT,
    });
    await backend.close();
    console.log(
      `postgres ${RECORDS} × 1 KB at limit ${DEFAULT_DIGEST_LIMIT}: ${run.digests} digests, ` +
        `delivered ${run.delivered}/${run.added}, lost ${run.added - run.delivered}, duplicates ${run.duplicates}, ` +
        `longest digest ${run.longestDigestMs.toFixed(0)} ms, ` +
        `RSS ${(run.rssBefore / MB).toFixed(0)} → peak ${(run.peakRss / MB).toFixed(0)} MB`,
    );
    expect(run.delivered).toBe(run.added);
    expect(run.duplicates).toBe(0);
    expect(run.peakRss - run.rssBefore).toBeLessThan(100 * MB);
  }, 240_000);
});
