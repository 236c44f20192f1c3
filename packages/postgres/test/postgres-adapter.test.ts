import { BackendUnavailableError, ConfigurationError } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { addManyCases, runSqlAdapterCases } from '@digests/sql/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendFactory, isTransient, migrate, PostgresBackend } from '../src/index.js';
import {
  DATABASE_URL,
  requirePostgres,
  testSchema,
  uniqueName,
} from './support/postgres-server.js';
import { postgresTarget } from './support/postgres-target.js';

const available = await requirePostgres();
const record = { key: 'r', value: 1, timestamp: 1 };

describe.skipIf(!available)('PostgreSQL adapter', () => {
  let store: Awaited<ReturnType<typeof testSchema>>;
  beforeAll(async () => {
    store = await testSchema('adapter');
  });
  afterAll(async () => {
    await store.drop();
  });
  const backend = (options: Partial<ConstructorParameters<typeof PostgresBackend>[0]> = {}) =>
    new PostgresBackend({
      pool: store.pool,
      schema: store.schema,
      tablePrefix: `${uniqueName('x')}_`,
      ...options,
    });

  // One target: its prefixes count up, so no two cases share tables.
  const target = postgresTarget(() => store);
  runSqlAdapterCases(target);
  describe('postgres addMany', () => {
    addManyCases(target, {
      create: (options) => new MemoryBackend(options),
      optionSets: [
        ['small delays', { minimumDelay: 100, incrementDelay: 30, maximumDelay: 1_000 }],
        ['capacity 3, always trimming', { capacity: 3, truncationChance: 1, minimumDelay: 50 }],
        ['capacity 3, never trimming', { capacity: 3, truncationChance: 0, minimumDelay: 50 }],
      ],
    });
  });

  it('addMany is one statement per 1000 entries (the add_many function)', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    pool.on('error', () => undefined);
    const sent: string[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const text = args[0] as string | { text?: string };
        sent.push(typeof text === 'string' ? text : String(text?.text));
        return query(...args);
      };
    });
    const b = backend({ pool });
    await b.migrate();
    sent.length = 0;
    const entries = Array.from({ length: 2_500 }, (_, i) => ({
      key: `k${i % 40}`,
      record: { key: `r${i}`, value: i, timestamp: i },
    }));
    const results = await b.addMany(entries);
    expect(sent).toHaveLength(3);
    expect(sent.every((text) => text.includes('add_many'))).toBe(true);
    expect(results.slice(0, 40).every(Boolean)).toBe(true);
    expect(results.slice(40).some(Boolean)).toBe(false);
    expect((await b.inspect('k0')).size).toBe(63);
    await pool.end();
  });

  it('rejects bad options synchronously, before connecting', () => {
    const connectionString = 'postgres://nobody@127.0.0.1:1/none';
    expect(() => new PostgresBackend({ connectionString, schema: 'a"b' })).toThrow(
      ConfigurationError,
    );
    expect(() => new PostgresBackend({ connectionString, tablePrefix: 'x y' })).toThrow(
      ConfigurationError,
    );
    expect(() => new PostgresBackend({ connectionString, ttl: 1 })).toThrow(ConfigurationError);
    expect(() => new PostgresBackend({})).toThrow(ConfigurationError);
    expect(() => new PostgresBackend({ connectionString, pool: store.pool })).toThrow(
      ConfigurationError,
    );
  });

  it('add is one statement, one round trip', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    pool.on('error', () => undefined);
    let statements = 0;
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        statements++;
        return query(...args);
      };
    });
    const b = backend({ pool });
    await b.add('k', record); // migrates first
    statements = 0;
    await b.add('k', { ...record, key: 'r2' });
    await b.add('other', record);
    expect(statements).toBe(2);
    await pool.end();
  });

  it('holds no transaction open while the digest function runs', async () => {
    const application = uniqueName('digests_tx');
    const pool = new pg.Pool({ connectionString: DATABASE_URL, application_name: application });
    pool.on('error', () => undefined);
    const b = backend({ pool });
    await b.add('k', record);
    const open = await b.digest('k', async () => {
      const { rows } = await store.pool.query(
        `select count(*)::int as n from pg_stat_activity
          where application_name = $1 and state <> 'idle'`,
        [application],
      );
      return { checkedOut: pool.totalCount - pool.idleCount, active: rows[0].n as number };
    });
    expect(open).toEqual({ checkedOut: 0, active: 0 });
    await pool.end();
  });

  it('concurrent schedulers claim disjoint keys (SKIP LOCKED)', async () => {
    const b = backend({ minimumDelay: 0 });
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    for (const key of keys) {
      await b.add(key, record);
      await b.maintenance(Number.POSITIVE_INFINITY);
    }
    const claimed = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const mine: string[] = [];
        for await (const { key } of b.schedule(Date.now(), { chunkSize: 7 })) mine.push(key);
        return mine;
      }),
    );
    const all = claimed.flat();
    expect(all).toHaveLength(keys.length);
    expect(new Set(all).size).toBe(keys.length);
  });

  it('never ends a pool it was given; ends the one it opened', async () => {
    const given = backend();
    await given.add('k', record);
    await given.close();
    expect((await store.pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);

    const own = new PostgresBackend({
      connectionString: DATABASE_URL,
      schema: store.schema,
      tablePrefix: `${uniqueName('own')}_`,
    });
    await own.add('k', record);
    await own.close();
    await expect(own.inspect('k')).rejects.toThrow();
  });

  it('migrate() installs tables, indexes and the add function under its own migration table', async () => {
    const prefix = `${uniqueName('m')}_`;
    const options = { pool: store.pool, schema: store.schema, tablePrefix: prefix };
    expect(await migrate(options)).toEqual({
      applied: [
        '0001_tables',
        '0002_add_function',
        '0003_options',
        '0004_add_many_function',
        '0005_add_many_set_based',
        '0006_quarantine',
        '0007_digest_functions',
        '0008_live_snapshot',
      ],
      latest: '0008_live_snapshot',
    });
    expect((await migrate(options)).applied).toEqual([]);
    const { rows } = await store.pool.query(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname like $2 and c.relkind in ('r', 'i') order by 1`,
      [store.schema, `${prefix}%`],
    );
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        `${prefix}migrations`,
        `${prefix}migrations_lock`,
        `${prefix}options`,
        `${prefix}quarantine`,
        `${prefix}records`,
        `${prefix}records_oldest`,
        `${prefix}records_pkey`,
        `${prefix}timelines`,
        `${prefix}timelines_due`,
        `${prefix}timelines_touched`,
      ]),
    );
  });

  it('an unreachable server is BackendUnavailableError with the cause', async () => {
    const down = new PostgresBackend({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    const error = await down.add('k', record).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).cause).toBeDefined();
    await down.close();
  });

  it('a missing table is not transient: the original error passes through', async () => {
    const b = backend();
    await b.add('k', record);
    await store.pool.query(`drop table "${store.schema}"."${b.tableNames.records}"`);
    const error = await b.inspect('k').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(BackendUnavailableError);
    expect((error as { code?: string }).code).toBe('42P01');
  });

  it('backendFactory builds from a config and names bad fields', async () => {
    expect(backendFactory.name).toBe('postgres');
    const b = await backendFactory.create(
      { connectionString: DATABASE_URL, schema: store.schema, tablePrefix: `${uniqueName('f')}_` },
      {},
      'root',
    );
    expect(await b.add('k', record)).toBe(true);
    await b.close();
    expect(() => backendFactory.create({}, {}, 'root')).toThrow('root.connectionString');
    expect(() =>
      backendFactory.create({ connectionString: DATABASE_URL, schema: 1 }, {}, 'a.b'),
    ).toThrow('a.b.schema');
  });
});

describe('postgres isTransient', () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  it('classifies connection loss, shutdown, serialization and deadlock as transient', () => {
    for (const code of [
      '57P01',
      '40001',
      '40P01',
      '08006',
      '08001',
      'ECONNREFUSED',
      'ECONNRESET',
    ]) {
      expect(isTransient(coded(code)), code).toBe(true);
    }
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]))).toBe(
      true,
    );
  });
  it('classifies constraint, syntax and other errors as permanent', () => {
    for (const code of ['23505', '23502', '42601', '42P01', '22P02']) {
      expect(isTransient(coded(code)), code).toBe(false);
    }
    expect(isTransient(new Error('boom'))).toBe(false);
    expect(isTransient(null)).toBe(false);
    expect(isTransient(new AggregateError([]))).toBe(false);
  });
});
