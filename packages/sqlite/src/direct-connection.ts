import type { TableNames } from '@digests/sql';
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { SqliteStatements } from './sqlite-statements.js';
import { CHECKPOINT_EVERY, checkpointWal, nextCheckpointInterval } from './wal-checkpoint.js';

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
  readonly #checkpointWait: number;
  #database: Database.Database | undefined;
  #statements: SqliteStatements | undefined;
  #writes = 0;
  #checkpointInterval = CHECKPOINT_EVERY;

  /** `checkpointWait`: how long a checkpoint may wait for readers, in ms (at most the busy timeout). */
  constructor(names: TableNames, checkpointWait = 50) {
    this.#names = names;
    this.#checkpointWait = checkpointWait;
  }

  /** Records the database kysely opened (or was given); returns it. */
  attach(database: Database.Database): Database.Database {
    this.#database = database;
    this.#statements = undefined;
    return database;
  }

  /**
   * Runs `fn` on the prepared statements, now if the connection is free,
   * else after kysely's turn; every so many writes (about 1000 WAL frames,
   * see {@link nextCheckpointInterval}) the WAL is checkpointed (see
   * {@link checkpointWal}), and after each write until a checkpoint finishes.
   */
  run<T>(kysely: Kysely<unknown>, fn: (statements: SqliteStatements) => T): Promise<T> {
    const database = this.#database;
    if (database?.open === true && !database.inTransaction) {
      try {
        return Promise.resolve(this.#write(database, fn));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // Acquiring kysely's connection opens the database on first use, and waits out its transactions.
    return kysely.connection().execute(async () => {
      if (this.#database === undefined) throw new Error('the SQLite database is not open');
      return this.#write(this.#database, fn);
    });
  }

  #write<T>(database: Database.Database, fn: (statements: SqliteStatements) => T): T {
    const result = fn(this.#prepared(database));
    if (++this.#writes >= this.#checkpointInterval) {
      const frames = checkpointWal(database, this.#checkpointWait);
      if (frames !== undefined) {
        this.#checkpointInterval = nextCheckpointInterval(this.#writes, frames);
        this.#writes = 0;
      }
    }
    return result;
  }

  #prepared(database: Database.Database): SqliteStatements {
    this.#statements ??= new SqliteStatements(database, this.#names);
    return this.#statements;
  }
}
