import { addRecord, type DigestsDatabase, type SqlDialectParts } from '@digests/sql';
import { type Kysely, sql } from 'kysely';
import { isTransient } from './transient.js';

/**
 * Runs `fn` inside `BEGIN IMMEDIATE`: the write lock is taken up front, so
 * two writers never both read and then fail to upgrade (no `SQLITE_BUSY`
 * deadlock), and another process waits its busy timeout instead of failing.
 */
async function immediate<T, DB>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await fn(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * The SQLite side of the SQL backend: BLOB keys, REAL times, every write in
 * `BEGIN IMMEDIATE`, `add` as the shared multi-statement query inside it.
 *
 * @example
 * ```ts
 * const parts = sqliteDialectParts();
 * await parts.transaction(db, (trx) => addRecord(trx, input));
 * ```
 */
export function sqliteDialectParts(): SqlDialectParts {
  return {
    name: 'sqlite',
    columnTypes: { bytes: 'blob', double: 'real', small: 'integer' },
    rowLocking: false,
    migrations: () => ({}),
    migrate: (db, run) => immediate(db, run),
    transaction: (db, fn) => immediate(db, fn),
    write: (db, fn) => immediate(db, fn),
    add: (db, input) => immediate(db, (trx: Kysely<DigestsDatabase>) => addRecord(trx, input)),
    isTransient,
  };
}
