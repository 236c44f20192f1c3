import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBackend } from '@digests/memory';
import { PostgresBackend } from '@digests/postgres';
import { RedisBackend } from '@digests/redis';
import { SqliteBackend } from '@digests/sqlite';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Backend, BackendOptions } from '../../src/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * One store the worker tests run on: `open` builds a backend in a place of
 * its own (a temp file, a schema, a namespace, a table prefix) and `close`
 * closes it and removes that place.
 */
export interface StoreTarget {
  readonly name: string;
  /** Why the store cannot run here (no server), or undefined. */
  readonly missing?: string;
  open(options: BackendOptions<string>): Promise<Backend<string>>;
  close(): Promise<void>;
}

const unique = (): string => randomBytes(5).toString('hex');

/**
 * Every store this machine can run: memory and SQLite always; PostgreSQL,
 * Redis and MySQL when their server answers. With `CI` set, a missing
 * server throws instead of being skipped.
 */
export async function storeTargets(): Promise<StoreTarget[]> {
  const targets: StoreTarget[] = [memoryTarget(), sqliteTarget()];
  targets.push(
    await probed('postgres', DATABASE_URL, pgAnswers, postgresTarget),
    await probed('redis', REDIS_URL, redisAnswers, redisTarget),
  );
  const mysql = await mysqlTarget();
  if (mysql !== undefined) targets.push(mysql);
  return targets;
}

async function probed(
  name: string,
  url: string,
  answers: (url: string) => Promise<boolean>,
  build: () => StoreTarget,
): Promise<StoreTarget> {
  if (await answers(url)) return build();
  const missing = `${name} at ${url.replace(/\/\/[^@/]*@/, '//')} is not reachable`;
  if (process.env.CI) throw new Error(`${missing} (CI is set: every store must run)`);
  return { name, missing, open: () => Promise.reject(new Error(missing)), close: async () => {} };
}

function memoryTarget(): StoreTarget {
  return {
    name: 'memory',
    open: async (options) => new MemoryBackend<string>(options),
    close: async () => {},
  };
}

function sqliteTarget(): StoreTarget {
  let dir: string | undefined;
  let backend: SqliteBackend<string> | undefined;
  return {
    name: 'sqlite',
    open: async (options) => {
      dir = mkdtempSync(join(tmpdir(), 'digests-worker-'));
      backend = new SqliteBackend<string>({ ...options, filename: join(dir, 'digests.db') });
      return backend;
    },
    close: async () => {
      await backend?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresTarget(): StoreTarget {
  const schema = `worker_${unique()}`;
  let backend: PostgresBackend<string> | undefined;
  return {
    name: 'postgres',
    open: async (options) => {
      backend = new PostgresBackend<string>({ ...options, connectionString: DATABASE_URL, schema });
      return backend;
    },
    close: async () => {
      await backend?.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

function redisTarget(): StoreTarget {
  const namespace = `worker-${unique()}`;
  let backend: RedisBackend<string> | undefined;
  return {
    name: 'redis',
    open: async (options) => {
      backend = new RedisBackend<string>({ ...options, url: REDIS_URL, namespace });
      return backend;
    },
    close: async () => {
      await backend?.close();
      const client = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `*${namespace}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await client.del(...keys);
      } while (cursor !== '0');
      await client.quit();
    },
  };
}

/** MySQL joins once `@digests/mysql` exists in the checkout. */
async function mysqlTarget(): Promise<StoreTarget | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import('@digests/mysql' as string)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const MysqlBackend = module.MysqlBackend as
    | (new (
        options: BackendOptions<string> & { url: string; tablePrefix: string },
      ) => Backend<string>)
    | undefined;
  if (MysqlBackend === undefined) return undefined;
  const tablePrefix = `w${unique()}_`;
  let backend: Backend<string> | undefined;
  return probed('mysql', MYSQL_URL, mysqlAnswers, () => ({
    name: 'mysql',
    open: async (options) => {
      backend = new MysqlBackend({ ...options, url: MYSQL_URL, tablePrefix });
      return backend;
    },
    close: async () => {
      await backend?.close();
      const { createConnection } = await import('mysql2/promise' as string);
      const connection = await createConnection(MYSQL_URL);
      const [rows] = await connection.query(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?',
        [`${tablePrefix}%`],
      );
      await connection.query('SET FOREIGN_KEY_CHECKS = 0');
      for (const { name } of rows as { name: string }[])
        await connection.query(`DROP TABLE \`${name}\``);
      await connection.end();
    },
  }));
}

async function pgAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function mysqlAnswers(url: string): Promise<boolean> {
  try {
    const { createConnection } = await import('mysql2/promise' as string);
    const connection = await createConnection({ uri: url, connectTimeout: 2_000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}
