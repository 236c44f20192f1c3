import type { SqlDialectParts } from '@digests/sql';
import { type Kysely, sql } from 'kysely';
import type { DirectConnection } from './direct-connection.js';
import { sqliteMigrations } from './sqlite-migrations.js';
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
 * The SQLite side of the SQL store: BLOB keys, REAL times, every write in
 * `BEGIN IMMEDIATE`; the hot steps (`add`, `open`, `commit`) run on
 * prepared better-sqlite3 statements through `direct`, everything else
 * through kysely.
 *
 * @example
 * ```ts
 * const parts = sqliteDialectParts(new DirectConnection(names));
 * const firsts = await parts.add(db, adds, { now, touch: false });
 * ```
 */
export function sqliteDialectParts(direct: DirectConnection): SqlDialectParts {
  return {
    name: 'sqlite',
    columnTypes: { bytes: 'blob', double: 'real', small: 'integer' },
    rowLocking: false,
    liveSide: true,
    migrations: (names) => sqliteMigrations(names),
    migrate: (db, run) => immediate(db, run),
    transaction: (db, fn) => immediate(db, fn),
    write: (db, fn) => immediate(db, fn),
    add: (db, adds, context) =>
      direct.run(db as Kysely<unknown>, (statements) => statements.add(adds, context)),
    open: async (db, request) => {
      for (;;) {
        const step = await direct.run(db as Kysely<unknown>, (statements) =>
          statements.openStep(request),
        );
        if (step !== 'moved') return step;
        // Let this process's other work (and other processes' writers) in between.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    commit: (db, request) =>
      direct.run(db as Kysely<unknown>, (statements) => statements.commit(request)),
    isTransient,
  };
}
