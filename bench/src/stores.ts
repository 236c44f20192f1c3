/**
 * How the bench builds each backend: an isolated namespace (Redis), schema
 * (PostgreSQL), table prefix (MySQL) or temp file (SQLite) per run, a way to count what is left,
 * and cleanup. The raw-limit and peer scenarios reuse the same connections.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, type BackendOptions, type Clock, hasStats } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { type Mysql2Pool, MysqlBackend } from '@digests/mysql';
import { PostgresBackend } from '@digests/postgres';
import { namespacePattern, RedisBackend } from '@digests/redis';
import { SqliteBackend } from '@digests/sqlite';
import { Redis } from 'ioredis';
import mysql from 'mysql2';
import pg from 'pg';

export const STORE_NAMES = ['memory', 'redis', 'postgres', 'sqlite', 'mysql'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** The value every benchmark record carries (a small alert, like Sentry's event refs). */
export interface BenchValue {
  readonly id: number;
  readonly level: string;
  readonly message: string;
}

export function benchValue(id: number): BenchValue {
  return { id, level: 'error', message: 'disk full on db-3' };
}

/** One backend under test and the store it lives in. */
export interface BenchStore {
  readonly name: StoreName;
  readonly backend: Backend<BenchValue>;
  /** Keys (Redis) or rows (SQL) or timelines + records (memory) left in this run's space. */
  leftover(): Promise<number>;
  /** Closes the backend and removes everything this run created. */
  cleanup(): Promise<void>;
  /** The store's own handles, for the raw limit, the peers and bulk loading. */
  readonly redis?: Redis;
  readonly namespace?: string;
  readonly pool?: pg.Pool;
  readonly schema?: string;
  readonly sqliteFile?: string;
  /** MySQL: the backend's pool and its table prefix. */
  readonly mysqlPool?: mysql.Pool;
  readonly tablePrefix?: string;
}

export interface StoreOptions {
  readonly clock: Clock;
  readonly concurrency: number;
  /** Backend options besides the clock (the end-to-end scenario sets every delay to 0). */
  readonly backend?: Omit<BackendOptions<BenchValue>, 'clock'>;
}

/** A short random suffix: runs never share a namespace, schema or file. */
export function runId(): string {
  return `${process.pid}_${randomBytes(3).toString('hex')}`;
}

/**
 * Builds the backend `name` in a space of its own.
 *
 * @example
 * ```ts
 * const store = await openStore('redis', { clock: () => now, concurrency: 8 });
 * await store.backend.add('t:1', record);
 * await store.cleanup();
 * ```
 */
export async function openStore(name: StoreName, options: StoreOptions): Promise<BenchStore> {
  const clock = options.clock;
  const extra = options.backend ?? {};
  switch (name) {
    case 'memory': {
      const backend = new MemoryBackend<BenchValue>({ ...extra, clock });
      return {
        name,
        backend,
        leftover: async () => {
          if (!hasStats(backend)) return Number.NaN;
          const stats = await backend.stats();
          return stats.waiting + stats.ready + stats.records;
        },
        cleanup: () => backend.close(),
      };
    }
    case 'redis': {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
      await redis.connect();
      const namespace = `bench-${runId()}`;
      const backend = new RedisBackend<BenchValue>({ ...extra, client: redis, namespace, clock });
      return {
        name,
        backend,
        redis,
        namespace,
        leftover: () => countRedisKeys(redis, namespacePattern(namespace)),
        cleanup: async () => {
          await deleteRedisKeys(redis, namespacePattern(namespace));
          await backend.close();
          await redis.quit();
        },
      };
    }
    case 'postgres': {
      const pool = new pg.Pool({
        connectionString: DATABASE_URL,
        max: Math.max(10, options.concurrency),
        application_name: 'digests-bench',
      });
      pool.on('error', () => undefined);
      const schema = `bench_${runId()}`;
      const backend = new PostgresBackend<BenchValue>({ ...extra, pool, schema, clock });
      await backend.migrate();
      return {
        name,
        backend,
        pool,
        schema,
        leftover: () => backend.storedRows(),
        cleanup: async () => {
          await backend.close();
          await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await pool.end();
        },
      };
    }
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'digests-bench-'));
      const sqliteFile = join(dir, 'bench.db');
      const backend = new SqliteBackend<BenchValue>({ ...extra, filename: sqliteFile, clock });
      await backend.migrate();
      return {
        name,
        backend,
        sqliteFile,
        leftover: () => backend.storedRows(),
        cleanup: async () => {
          await backend.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    case 'mysql': {
      const mysqlPool = mysql.createPool({
        uri: MYSQL_URL,
        connectionLimit: Math.max(10, options.concurrency),
      });
      mysqlPool.on('connection', (connection) => connection.on('error', () => undefined));
      const tablePrefix = `bench_${runId()}_`;
      const backend = new MysqlBackend<BenchValue>({
        ...extra,
        pool: mysqlPool as unknown as Mysql2Pool,
        tablePrefix,
        clock,
      });
      await backend.migrate();
      return {
        name,
        backend,
        mysqlPool,
        tablePrefix,
        leftover: () => backend.storedRows(),
        cleanup: async () => {
          await backend.close();
          const { timelines, records, quarantine, migrations, migrationsLock } = backend.tableNames;
          const tables = [quarantine, records, timelines, migrations, migrationsLock];
          await mysqlPool
            .promise()
            .query(`DROP TABLE IF EXISTS ${tables.map((t) => `\`${t}\``).join(', ')}`);
          await mysqlPool.promise().end();
        },
      };
    }
  }
}

async function countRedisKeys(redis: Redis, pattern: string): Promise<number> {
  let count = 0;
  for await (const keys of redis.scanStream({ match: pattern, count: 1000 })) {
    count += (keys as string[]).length;
  }
  return count;
}

/** Unlinks every key matching `pattern` (a run's namespace or a peer's prefix). */
export async function deleteRedisKeys(redis: Redis, pattern: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: pattern, count: 1000 })) {
    if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
  }
}

/** Whether a server answers; a bench run skips a store whose server is down. */
export async function reachable(name: StoreName): Promise<string | undefined> {
  if (name === 'redis') {
    const redis = new Redis(REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      return undefined;
    } catch (error) {
      return `Redis at ${REDIS_URL}: ${(error as Error).message}`;
    } finally {
      redis.disconnect();
    }
  }
  if (name === 'postgres') {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      return `PostgreSQL at ${DATABASE_URL}: ${(error as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (name === 'mysql') {
    const connection = mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 2_000 });
    connection.on('error', () => undefined);
    try {
      await connection.promise().query('select 1');
      return undefined;
    } catch (error) {
      return `MySQL at ${MYSQL_URL}: ${(error as Error).message}`;
    } finally {
      connection.destroy();
    }
  }
  return undefined;
}
