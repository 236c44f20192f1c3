import { randomBytes } from 'node:crypto';
import mysql from 'mysql2';
import type { Mysql2Pool } from '../../src/index.js';
import { procedureNames, tableNames } from '../../src/index.js';

/** The MariaDB / MySQL the suites use (MYSQL_URL, default mysql://root@127.0.0.1:3306/test). */
export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * Whether the MySQL suites can run. With `CI` set to anything non-empty an
 * unreachable server fails the run; on a developer machine they are skipped
 * with a message.
 */
export async function requireMysql(): Promise<boolean> {
  const connection = mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 2_000 });
  connection.on('error', () => undefined);
  try {
    await connection.promise().query('select 1');
    return true;
  } catch (error) {
    const message = `MySQL at ${MYSQL_URL} is not available (${(error as Error).message})`;
    if (process.env.CI) throw new Error(`${message}; CI requires it`, { cause: error });
    console.warn(`Skipping the MySQL tests: ${message}. Set MYSQL_URL to run them.`);
    return false;
  } finally {
    connection.destroy();
  }
}

/** A table prefix no other test uses, e.g. `conf_1a2b3c4d_`. */
export function uniquePrefix(tag: string): string {
  return `${tag}_${randomBytes(4).toString('hex')}_`;
}

/**
 * A pool of the test file's own, and `drop(prefix)` that removes every table
 * a backend with that prefix created.
 */
export function testPool(): { pool: Mysql2Pool & mysql.Pool; end(): Promise<void> } {
  const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 12 });
  pool.on('connection', (connection) => connection.on('error', () => undefined));
  return {
    pool: pool as Mysql2Pool & mysql.Pool,
    end: () => pool.promise().end(),
  };
}

/**
 * Drops the tables and procedures of every prefix in `prefixes` (ignoring ones never created).
 */
export async function dropTables(pool: mysql.Pool, prefixes: readonly string[]): Promise<void> {
  for (const prefix of prefixes) {
    const names = tableNames(prefix);
    const tables = [
      names.quarantine,
      names.records,
      names.timelines,
      names.migrations,
      names.migrationsLock,
    ];
    await pool.promise().query(`drop table if exists ${tables.map((t) => `\`${t}\``).join(', ')}`);
    for (const procedure of Object.values(procedureNames(names))) {
      await pool.promise().query(`drop procedure if exists \`${procedure}\``);
    }
  }
}

/**
 * Deletes every row of a prefix's tables (ignoring tables never created), so
 * the prefix can serve the next backend as fresh, empty tables.
 */
export async function emptyTables(pool: mysql.Pool, prefix: string): Promise<void> {
  const names = tableNames(prefix);
  for (const table of [names.quarantine, names.records, names.timelines]) {
    try {
      await pool.promise().query(`delete from \`${table}\``);
    } catch (error) {
      // 1146: the backend never ran a step, so its tables were never created.
      if ((error as { errno?: unknown }).errno !== 1146) throw error;
    }
  }
}
