import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the suites use (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the PostgreSQL suites can run. In CI (`CI` set to anything non-empty) an unreachable
 * server fails the run; on a developer machine they are skipped with a message.
 */
export async function requirePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    const message = `PostgreSQL at ${DATABASE_URL} is not available (${(error as Error).message})`;
    if ((process.env.CI ?? '') !== '') {
      throw new Error(`${message}; CI requires it`, { cause: error });
    }
    console.warn(`Skipping the PostgreSQL tests: ${message}. Set DATABASE_URL to run them.`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A name no other test uses, e.g. `conf_1a2b3c4d5e6f`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/**
 * A schema of its own for one test file, on a pool of its own: created at
 * once, dropped (with everything in it) by `drop()`.
 */
export async function testSchema(prefix: string): Promise<{
  schema: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}> {
  const schema = uniqueName(prefix);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 12 });
  pool.on('error', () => undefined);
  await pool.query(`create schema "${schema}"`);
  return {
    schema,
    pool,
    async drop() {
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    },
  };
}
