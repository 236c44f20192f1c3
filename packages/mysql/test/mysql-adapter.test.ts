import {
  AdapterRegistry,
  BackendUnavailableError,
  buildBackend,
  ConfigurationError,
  silentLogger,
  validateConfig,
} from '@digests/core';
import { afterAll, describe, expect, it } from 'vitest';
import { backendFactory, isTransient, MysqlBackend } from '../src/index.js';
import {
  dropTables,
  MYSQL_URL,
  requireMysql,
  testPool,
  uniquePrefix,
} from './support/mysql-server.js';

const available = await requireMysql();
const record = { key: 'r', value: 1, timestamp: 1 };

describe.skipIf(!available)('MySQL adapter', () => {
  const { pool, end } = testPool();
  const prefixes: string[] = [];
  afterAll(async () => {
    await dropTables(pool, prefixes);
    await end();
  });
  const prefix = () => {
    const tablePrefix = uniquePrefix('ad');
    prefixes.push(tablePrefix);
    return tablePrefix;
  };

  it('a DI config { "backend": "mysql", "url" } builds a working backend that owns its pool', async () => {
    // The registry imports @digests/mysql by the name in the config, as an application's would.
    const config = validateConfig(
      JSON.parse(JSON.stringify({ backend: 'mysql', url: MYSQL_URL, tablePrefix: prefix() })),
    );
    const backend = await buildBackend(config, {
      registry: new AdapterRegistry(),
      clock: Date.now,
      logger: silentLogger,
    });
    expect(backend).toBeInstanceOf(MysqlBackend);
    expect(await backend.add('k', record)).toBe(true);
    expect((await backend.inspect('k')).state).toBe('ready');
    await backend.close();
  });

  it('backendFactory names bad fields', () => {
    expect(backendFactory.name).toBe('mysql');
    expect(() => backendFactory.create({}, {}, 'root')).toThrow('root.url');
    expect(() => backendFactory.create({ url: 'postgres://x' }, {}, 'a.b')).toThrow('a.b.url');
    expect(() => backendFactory.create({ url: MYSQL_URL, tablePrefix: 'a-b' }, {}, 'c')).toThrow(
      'c.tablePrefix',
    );
    expect(() => backendFactory.create({ url: MYSQL_URL, schema: 'x' }, {}, 'd')).toThrow(
      ConfigurationError,
    );
  });

  it('needs exactly one of url and pool, and a valid prefix', () => {
    expect(() => new MysqlBackend({})).toThrow(ConfigurationError);
    expect(() => new MysqlBackend({ url: MYSQL_URL, pool })).toThrow(ConfigurationError);
    expect(() => new MysqlBackend({ pool, tablePrefix: 'x'.repeat(41) })).toThrow(
      ConfigurationError,
    );
  });

  it('a row lock held past operationTimeout fails the step as unavailable, within the timeout', async () => {
    const tablePrefix = prefix();
    const backend = new MysqlBackend({ pool, tablePrefix, operationTimeout: 1_000 });
    // Migrating (tables, then procedures) is not the step under test: on a busy server it alone can take a second.
    await backend.migrate();
    await backend.add('held', record);
    // Another session holds the timeline row's lock and does not let go.
    const holder = await pool.promise().getConnection();
    try {
      await holder.query('begin');
      await holder.query(`select * from \`${backend.tableNames.timelines}\` for update`);
      const started = Date.now();
      await expect(
        backend.add('held', { key: 'r2', value: 2, timestamp: 2 }),
      ).rejects.toBeInstanceOf(BackendUnavailableError);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await holder.query('rollback');
      holder.release();
    }
    await backend.close();
  });

  it('an unreachable server is unavailable, not a crash', async () => {
    const backend = new MysqlBackend({
      url: 'mysql://root@127.0.0.1:1/test',
      tablePrefix: prefix(),
      operationTimeout: 2_000,
    });
    const error = await backend.add('k', record).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(isTransient((error as Error).cause)).toBe(true);
    await backend.close();
  });

  it('after close() every call rejects with a non-transient error', async () => {
    const backend = new MysqlBackend({ url: MYSQL_URL, tablePrefix: prefix() });
    await backend.add('k', record);
    await backend.close();
    const error = await backend.inspect('k').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(BackendUnavailableError);
  });
});

describe('mysql isTransient', () => {
  const server = (errno: number) => Object.assign(new Error(`errno ${errno}`), { errno });
  const client = (code: string) => Object.assign(new Error(code), { code });
  it('classifies lost, refused, killed and timed-out connections, deadlocks and lock waits as transient', () => {
    for (const error of [
      server(1213),
      server(1205),
      server(1927),
      server(1053),
      server(2006),
      client('PROTOCOL_CONNECTION_LOST'),
      client('PROTOCOL_SEQUENCE_TIMEOUT'),
      client('ECONNREFUSED'),
      client('ETIMEDOUT'),
      new Error("Can't add new command when connection is in closed state"),
    ]) {
      expect(isTransient(error), String(error)).toBe(true);
    }
  });
  it('leaves duplicate keys, syntax and missing tables permanent', () => {
    for (const error of [server(1062), server(1064), server(1146), new Error('boom'), 'x', null]) {
      expect(isTransient(error), String(error)).toBe(false);
    }
  });
});
