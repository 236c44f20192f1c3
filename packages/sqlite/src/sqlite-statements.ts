import type { StoreContext } from '@digests/core';
import type { SqlAdd, SqlCommit, SqlOpen, SqlOpened, TableNames } from '@digests/sql';
import type Database from 'better-sqlite3';
import { AddStatements, type ScheduleRow } from './add-statements.js';
import { DigestStatements } from './digest-statements.js';
import { run, type Statement } from './prepared.js';

export { MOVE_CHUNK } from './digest-statements.js';

/**
 * The hot steps of one SQLite database — `add`, `open`, `commit` — on
 * statements prepared once and run synchronously on better-sqlite3, each
 * step one `BEGIN IMMEDIATE … COMMIT`: no kysely compiling, no async hops,
 * and the write lock held only for the statements themselves. Each
 * statement is an `sql` action of the current timeline, like every
 * statement kysely runs. See {@link AddStatements} and
 * {@link DigestStatements} for what each step runs.
 *
 * @example
 * ```ts
 * const statements = new SqliteStatements(database, tableNames({ tablePrefix: 'digests_' }));
 * const firsts = statements.add(adds, { now, touch: false }); // one BEGIN IMMEDIATE … COMMIT
 * ```
 */
export class SqliteStatements {
  readonly #database: Database.Database;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #adds: AddStatements;
  readonly #digests: DigestStatements;

  constructor(database: Database.Database, names: TableNames) {
    this.#database = database;
    this.#begin = database.prepare('begin immediate');
    this.#commit = database.prepare('commit');
    this.#rollback = database.prepare('rollback');
    this.#adds = new AddStatements(database, names);
    this.#digests = new DigestStatements(database, names);
  }

  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction: commits what it did, or
   * rolls back and rethrows. The caller makes sure no other transaction is
   * open on the connection.
   */
  immediate<T>(fn: () => T): T {
    run(this.#begin);
    try {
      const result = fn();
      run(this.#commit);
      return result;
    } catch (error) {
      if (this.#database.inTransaction) run(this.#rollback);
      throw error;
    }
  }

  /**
   * Each add in order, all in one transaction: every add is written, or (on
   * an error) none. Returns each add's `first`, in input order.
   */
  add(adds: readonly SqlAdd[], context: StoreContext): boolean[] {
    return this.immediate(() => {
      if (adds.length === 1) return [this.#adds.add(adds[0]!, context)];
      // A batch reads each timeline's schedule row once (see AddStatements.add).
      const rows = new Map<string, ScheduleRow>();
      const firsts: boolean[] = new Array(adds.length);
      for (let i = 0; i < adds.length; i++) firsts[i] = this.#adds.add(adds[i]!, context, rows);
      return firsts;
    });
  }

  /**
   * One step of `DigestStore.open`, one transaction: `'moved'` when a
   * left-over snapshot absorbed one chunk of a large timeline (call again),
   * else the opened digest. See {@link DigestStatements.open}.
   */
  openStep(request: SqlOpen): SqlOpened | 'moved' {
    return this.immediate(() => this.#digests.open(request));
  }

  /** `DigestStore.commit` in one transaction; returns whether the lease was ours. */
  commit(request: SqlCommit): boolean {
    return this.immediate(() => this.#digests.commit(request));
  }
}
