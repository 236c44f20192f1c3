import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { timedStatement } from './timed-statement.js';

/** A connection whose every round trip is an `sql` timeline action. */
class TimedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;

  constructor(inner: DatabaseConnection) {
    this.inner = inner;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return timedStatement(query.sql, () => this.inner.executeQuery<R>(query));
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/**
 * Hands out {@link TimedConnection}s. Transactions are begun, committed and
 * rolled back by the inner driver *through* the timed connection (the
 * built-in drivers only call `executeQuery` on it), so `begin` and `commit`
 * are actions too; the inner driver gets its own connection back on release.
 */
class TimedDriver implements Driver {
  readonly #inner: Driver;
  readonly #wrapped = new WeakMap<DatabaseConnection, TimedConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    let timed = this.#wrapped.get(connection);
    if (timed === undefined) {
      timed = new TimedConnection(connection);
      this.#wrapped.set(connection, timed);
    }
    return timed;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.releaseSavepoint?.(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const inner = connection instanceof TimedConnection ? connection.inner : connection;
    return this.#inner.releaseConnection(inner);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

/**
 * Wraps a kysely dialect so that every statement its connections run —
 * queries, `begin`, `commit`, migrations — is an `sql` action of the current
 * timeline (core's `timed`), named by its text (one line, ≤ 200 characters,
 * never the parameters). The one place every kysely statement of a backend
 * passes; without an active timeline or tracer it costs a memo lookup and a
 * context check per statement.
 *
 * @example
 * ```ts
 * const db = new Kysely<DigestsDatabase>({ dialect: new TimedDialect(new PostgresDialect({ pool })) });
 * await runWithTimeline(async (timeline) => {
 *   await db.selectFrom('timelines').selectAll().execute();
 *   timeline.actions; // [{ category: 'sql', detail: 'select * from "timelines"', … }]
 * });
 * ```
 */
export class TimedDialect implements Dialect {
  readonly #inner: Dialect;

  constructor(inner: Dialect) {
    this.#inner = inner;
  }

  createDriver(): Driver {
    return new TimedDriver(this.#inner.createDriver());
  }

  createQueryCompiler(): QueryCompiler {
    return this.#inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.#inner.createAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: kysely's own Dialect signature.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.#inner.createIntrospector(db);
  }
}
