import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryExecutor,
} from 'kysely';

/**
 * Lends out the connections of another kysely instance: each acquire holds
 * one of its connections (through its executor) until release. Destroying
 * it destroys nothing: the instance belongs to the application.
 */
class BorrowedDriver implements Driver {
  readonly #executor: QueryExecutor;
  readonly #releases = new Map<DatabaseConnection, () => void>();

  constructor(executor: QueryExecutor) {
    this.#executor = executor;
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return new Promise((resolve, reject) => {
      this.#executor
        .provideConnection(
          (connection) =>
            new Promise<void>((release) => {
              this.#releases.set(connection, release);
              resolve(connection);
            }),
        )
        .catch(reject);
    });
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.#releases.get(connection);
    this.#releases.delete(connection);
    release?.();
  }

  async destroy(): Promise<void> {}
}

/**
 * A PostgreSQL dialect over an application's kysely instance (`db`): the
 * backend builds its own `Kysely` on it, so its statements go through its
 * own (timed) driver while the connections stay the application's pool's.
 *
 * @example
 * ```ts
 * const kysely = new Kysely({ dialect: new TimedDialect(new BorrowedPostgresDialect(appDb)) });
 * ```
 */
export class BorrowedPostgresDialect implements Dialect {
  // biome-ignore lint/suspicious/noExplicitAny: any application's Kysely<DB> is accepted.
  readonly #db: Kysely<any>;

  // biome-ignore lint/suspicious/noExplicitAny: any application's Kysely<DB> is accepted.
  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  createDriver(): Driver {
    return new BorrowedDriver(this.#db.getExecutor());
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: kysely's own Dialect signature.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
