import { runOptionsStorageConformance, UNUSUAL_OPTION_NAMES } from '@digests/conformance';
import { BackendUnavailableError, ConfigurationError } from '@digests/core';
import { keyBytes, storedKey } from '@digests/sql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresBackend, PostgresOptionsStorage } from '../src/index.js';
import {
  DATABASE_URL,
  requirePostgres,
  testSchema,
  uniqueName,
} from './support/postgres-server.js';

const available = await requirePostgres();

describe.skipIf(!available)('PostgresOptionsStorage', () => {
  let store: Awaited<ReturnType<typeof testSchema>>;
  beforeAll(async () => {
    store = await testSchema('options');
  });
  afterAll(async () => {
    await store.drop();
  });
  const storage = (tablePrefix = `${uniqueName('o')}_`) =>
    new PostgresOptionsStorage({ pool: store.pool, schema: store.schema, tablePrefix });

  runOptionsStorageConformance({
    name: 'postgres',
    create: async () => storage(),
    readRaw: async (s, name) => {
      const table = (s as PostgresOptionsStorage).tableNames.options;
      const { rows } = await store.pool.query(
        `select convert_from(value, 'UTF8') as value from "${store.schema}"."${table}" where name_id = $1`,
        [storedKey(name).id],
      );
      return rows[0]?.value;
    },
  });

  it('keeps one row per name in <prefix>options, name and value as bytea UTF-8, NUL included', async () => {
    const s = storage();
    for (const [i, name] of UNUSUAL_OPTION_NAMES.entries()) await s.set(name, `"${i}"`);
    const { rows } = await store.pool.query<Record<'name_id' | 'name' | 'value', Buffer>>(
      `select name_id, name, value from "${store.schema}"."${s.tableNames.options}"`,
    );
    expect(rows).toHaveLength(UNUSUAL_OPTION_NAMES.length);
    for (const row of rows) expect(row.name_id).toEqual(storedKey(row.name.toString()).id);
    const nul = rows.find((row) => row.name.equals(keyBytes('digests.enabled:\u0000')));
    expect(nul?.value.toString()).toBe(
      `"${UNUSUAL_OPTION_NAMES.indexOf('digests.enabled:\u0000')}"`,
    );
  });

  it('shares the backend’s migrations and prefix; the backend’s tables stay as they were', async () => {
    const tablePrefix = `${uniqueName('s')}_`;
    const backend = new PostgresBackend({ pool: store.pool, schema: store.schema, tablePrefix });
    await backend.add('k', { key: 'r', value: 1, timestamp: 1 });
    const s = storage(tablePrefix);
    expect((await s.migrate()).applied).toEqual([]);
    await s.set('digests.enabled:k', 'false');
    expect(await s.get('digests.enabled:k')).toBe('false');
    expect(await backend.storedRows()).toBe(2);
    await backend.close();
  });

  it('never ends a pool it was given; ends the one it opened', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const tablePrefix = `${uniqueName('c')}_`;
    const given = new PostgresOptionsStorage({ pool, schema: store.schema, tablePrefix });
    await given.set('a', '1');
    await given.close();
    expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
    const own = new PostgresOptionsStorage({
      connectionString: DATABASE_URL,
      schema: store.schema,
      tablePrefix,
    });
    expect(await own.get('a')).toBe('1');
    await own.close();
    await expect(own.get('a')).rejects.toThrow();
  });

  it('rejects bad options at construction; an unreachable server is BackendUnavailableError', async () => {
    expect(() => new PostgresOptionsStorage({})).toThrow(ConfigurationError);
    expect(
      () => new PostgresOptionsStorage({ connectionString: DATABASE_URL, schema: 'a"b' }),
    ).toThrow(ConfigurationError);
    const down = new PostgresOptionsStorage({
      connectionString: 'postgres://postgres@127.0.0.1:1/test',
    });
    for (const call of [() => down.get('a'), () => down.set('a', '1'), () => down.delete('a')]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as Error).cause).toBeDefined();
    }
    await down.close();
  });
});
