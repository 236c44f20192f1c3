import type { TableNames } from '@digests/sql';
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { SqliteStatements } from './sqlite-statements.js';

/**
 * The better-sqlite3 database under a backend's kysely instance, for the
 * statements that run on it directly ({@link SqliteStatements}). kysely runs
 * a transaction over several turns of the event loop, holding its
 * connection mutex; a direct call runs at once, synchronously, when no
 * transaction is open (a whole `BEGIN IMMEDIATE … COMMIT` then fits between
 * two of kysely's statements), and otherwise waits for kysely's connection
 * like any query.
 *
 * @example
 * ```ts
 * const direct = new DirectConnection(names);
 * new SqliteDialect({ database: async () => direct.attach(new Database(file)) });
 * const first = await direct.run(kysely, (statements) => statements.add(input));
 * ```
 */
export class DirectConnection {
  readonly #names: TableNames;
  #database: Database.Database | undefined;
  #statements: SqliteStatements | undefined;

  constructor(names: TableNames) {
    this.#names = names;
  }

  /** Records the database kysely opened (or was given); returns it. */
  attach(database: Database.Database): Database.Database {
    this.#database = database;
    this.#statements = undefined;
    return database;
  }

  /** Runs `fn` on the prepared statements, now if the connection is free, else after kysely's turn. */
  run<T>(kysely: Kysely<unknown>, fn: (statements: SqliteStatements) => T): Promise<T> {
    const database = this.#database;
    if (database?.open === true && !database.inTransaction) {
      try {
        return Promise.resolve(fn(this.#prepared(database)));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // Acquiring kysely's connection opens the database on first use, and waits out its transactions.
    return kysely.connection().execute(async () => {
      if (this.#database === undefined) throw new Error('the SQLite database is not open');
      return fn(this.#prepared(this.#database));
    });
  }

  #prepared(database: Database.Database): SqliteStatements {
    this.#statements ??= new SqliteStatements(database, this.#names);
    return this.#statements;
  }
}
