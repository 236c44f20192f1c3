import { allMigrations, migrateToLatest, tableNames } from '@digests/sql';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresBackend } from '../src/index.js';
import { postgresDialectParts } from '../src/postgres-dialect-parts.js';
import { requirePostgres, testSchema, uniqueName } from './support/postgres-server.js';

const available = await requirePostgres();
const T = 1_700_000_000_000;

describe.skipIf(!available)('PostgreSQL 0008_live_snapshot upgrade', () => {
  let store: Awaited<ReturnType<typeof testSchema>>;
  beforeAll(async () => {
    store = await testSchema('upgrade');
  });
  afterAll(async () => {
    await store.drop();
  });

  it('a store at 0007 with a left-over snapshot upgrades, and its records are delivered once', async () => {
    const tablePrefix = `${uniqueName('u')}_`;
    const names = tableNames({ schema: store.schema, tablePrefix });
    const older = Object.fromEntries(
      Object.entries(allMigrations(names, postgresDialectParts(names))).filter(
        ([name]) => name < '0008',
      ),
    );
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: store.pool }) });
    expect((await migrateToLatest(db, names, older)).latest).toBe('0007_digest_functions');
    const clock = { now: T };
    const options = { pool: store.pool, schema: store.schema, tablePrefix, clock: () => clock.now };
    // The 0007 bodies: a failed digest leaves its records in snapshot = 1.
    const old = new PostgresBackend({ ...options, autoMigrate: false });
    await old.add('k', { key: 'a', value: 1, timestamp: T });
    await old.add('k', { key: 'b', value: 2, timestamp: T });
    await expect(
      old.digest('k', () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await old.add('k', { key: 'b', value: 3, timestamp: T + 1 });
    await old.add('k', { key: 'c', value: 4, timestamp: T + 1 });
    const table = `"${store.schema}"."${names.records}"`;
    const sides = await store.pool.query(
      `select snapshot, count(*)::int as n from ${table} group by 1 order by 1`,
    );
    expect(sides.rows).toEqual([
      { snapshot: 0, n: 2 },
      { snapshot: 1, n: 2 },
    ]);
    await old.close();

    const backend = new PostgresBackend(options);
    expect((await backend.migrate()).applied).toEqual(['0008_live_snapshot']);
    const delivered = await backend.digest('k', (records) => records.map((r) => [r.key, r.value]));
    expect(delivered).toEqual([
      ['c', 4],
      ['b', 3],
      ['a', 1],
    ]);
    // The next digest flips sides: an add during it stays for later.
    clock.now += 1_000_000;
    await backend.add('k', { key: 'd', value: 5, timestamp: clock.now });
    await backend.flush('k');
    const second = await backend.digest('k', async (records) => {
      await backend.add('k', { key: 'd', value: 6, timestamp: clock.now + 1 });
      return records.map((r) => r.value);
    });
    expect(second).toEqual([5]);
    const page = await backend.peek('k', { limit: 10 });
    expect(page.records.map((r) => [r.key, r.value, r.inSnapshot])).toEqual([['d', 6, false]]);
    await backend.close();
  });
});
