import { BackendClosedError, runWithTimeline, type TimedAction, Timeline } from '@digests/core';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresBackend } from '../src/index.js';
import { requirePostgres, testSchema, uniqueName } from './support/postgres-server.js';

const available = await requirePostgres();
const T = 1_700_000_000_000;
const KEY = 'mail:p:1';

const details = (actions: readonly TimedAction[]) =>
  actions.map((a) => `${a.category} ${a.detail}`);

describe.skipIf(!available)('every PostgreSQL statement is an `sql` action of the timeline', () => {
  let store: Awaited<ReturnType<typeof testSchema>>;
  let now = T;
  beforeAll(async () => {
    store = await testSchema('timed');
  });
  afterAll(async () => {
    await store.drop();
  });
  const backend = async (options: { db?: Kysely<unknown> } = {}) => {
    now = T;
    const tablePrefix = `${uniqueName('t')}_`;
    const b = new PostgresBackend<string>({
      ...(options.db === undefined ? { pool: store.pool } : { db: options.db }),
      schema: store.schema,
      tablePrefix,
      clock: () => now,
    });
    await b.migrate();
    return b;
  };

  const run = async (b: PostgresBackend<string>) =>
    runWithTimeline(async (timeline) => {
      expect(await b.add(KEY, { key: 'secret-record', value: 'secret value', timestamp: T })).toBe(
        true,
      );
      now = T + 1_000;
      await b.digest(KEY, (records) => records.length);
      for await (const _ of b.schedule(T + 301_000));
      return timeline;
    });

  const expected = (prefix: string) => {
    const table = (name: string) => `"${store.schema}"\\."${prefix}${name}"`;
    return [
      // add: one round trip, the PL/pgSQL function.
      new RegExp(`^sql select ${table('add')}\\(\\$1::bytea, `),
      // digest: two round trips, the open and commit functions.
      new RegExp(`^sql select \\* from ${table('open_digest')}\\(\\$1::bytea, `),
      new RegExp(`^sql select ${table('commit_digest')}\\(\\$1::bytea, .* as ours$`),
      // Two schedule chunks (the due key, then none), each one statement.
      new RegExp(`^sql update ${table('timelines')} set "state" = \\$1 where "timeline_id" in`),
      new RegExp(`^sql update ${table('timelines')} set "state" = \\$1 where "timeline_id" in`),
    ];
  };

  it('add + digest + schedule record their statements in order, text only, never the values', async () => {
    const b = await backend();
    const timeline = await run(b);
    expect(details(timeline.actions)).toEqual(
      expected(b.tableNames.prefix).map((re) => expect.stringMatching(re)),
    );
    for (const action of timeline.actions) {
      expect(action.detail).not.toMatch(/secret|mail:p:1|\n/);
      expect(action.detail.length).toBeLessThanOrEqual(200);
      expect(action.duration).toBeGreaterThanOrEqual(0);
    }
    await b.close();
  });

  it('statements through an application’s kysely instance (`db`) are timed too; it stays open', async () => {
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: store.pool }) });
    const b = await backend({ db });
    const timeline = await run(b);
    expect(details(timeline.actions)).toEqual(
      expected(b.tableNames.prefix).map((re) => expect.stringMatching(re)),
    );
    await b.close();
    // The application's instance stays usable; the backend refuses further calls.
    expect((await sql<{ n: number }>`select 1 as n`.execute(db)).rows).toEqual([{ n: 1 }]);
    await expect(b.inspect(KEY)).rejects.toBeInstanceOf(BackendClosedError);
  });

  it('without an active timeline nothing is recorded', async () => {
    const b = await backend();
    const start = vi.spyOn(Timeline.prototype, 'start');
    try {
      await b.add(KEY, { key: 'e1', value: 'x', timestamp: T });
      await b.digest(KEY, () => undefined);
      for await (const _ of b.schedule(Number.POSITIVE_INFINITY));
      await b.inspect(KEY);
      await b.maintenance(T);
      expect(start).not.toHaveBeenCalled();
    } finally {
      start.mockRestore();
      await b.close();
    }
  });
});
