import type { SqlDialectParts } from '@digests/sql';
import { type Kysely, sql } from 'kysely';
import type { DirectConnection } from './direct-connection.js';
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
 * `BEGIN IMMEDIATE`; `add` and `addMany` (a whole chunk in one transaction) run on prepared better-sqlite3 statements
 * through `direct` (the hot path), everything else through kysely.
 *
 * @example
 * ```ts
 * const parts = sqliteDialectParts(new DirectConnection(names));
 * await parts.add(db, input);
 * ```
 */
export function sqliteDialectParts(direct: DirectConnection): SqlDialectParts {
  return {
    name: 'sqlite',
    columnTypes: { bytes: 'blob', double: 'real', small: 'integer' },
    rowLocking: false,
    migrations: () => ({}),
    migrate: (db, run) => immediate(db, run),
    transaction: (db, fn) => immediate(db, fn),
    write: (db, fn) => immediate(db, fn),
    add: (db, input) => direct.run(db as Kysely<unknown>, (statements) => statements.add(input)),
    addMany: (db, inputs) =>
      direct.run(db as Kysely<unknown>, (statements) => statements.addMany(inputs)),
    isTransient,
  };
}
