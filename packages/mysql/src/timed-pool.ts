import type { MysqlPool, MysqlPoolConnection } from 'kysely';

/**
 * The callback-style mysql2 pool (from `mysql2`, not `mysql2/promise`), as
 * far as this package uses it: a structural type, so a caller's pool of any
 * mysql2 3.x version fits.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2';
 * const pool: Mysql2Pool = mysql.createPool({ uri: 'mysql://root@127.0.0.1:3306/test' });
 * ```
 */
export interface Mysql2Pool {
  getConnection(callback: (error: unknown, connection: Mysql2Connection) => void): void;
  end(callback?: (error: unknown) => void): void;
  readonly config?: { readonly connectionConfig?: Mysql2ConnectionConfig };
}

/** What a pooled mysql2 connection offers: queries with options, release, destroy. */
export interface Mysql2Connection {
  // biome-ignore lint/suspicious/noExplicitAny: mysql2 returns its own Query object; kysely only calls stream() on it.
  query(options: { sql: string; values: unknown[]; timeout?: number }, callback?: any): any;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  execute(options: { sql: string; values: unknown[]; timeout?: number }, callback: any): any;
  unprepare(sql: string): void;
  release(): void;
  destroy(): void;
  readonly threadId: number | null;
}

/** Where a mysql2 pool connects (for the store's description). */
export interface Mysql2ConnectionConfig {
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
}

/**
 * Hands kysely the pool's connections with a per-query timeout: a query that
 * gets no answer within `timeout` ms fails with `PROTOCOL_SEQUENCE_TIMEOUT`
 * and its connection is destroyed (its reply may still arrive, so it cannot
 * be reused). `end()` ends the pool only when `owned`; a caller's pool is
 * never closed by the store.
 *
 * @example
 * ```ts
 * const dialect = new MysqlDialect({ pool: new TimedPool(pool, 10_000, true) });
 * ```
 */
export class TimedPool implements MysqlPool {
  readonly #pool: Mysql2Pool;
  readonly #timeout: number;
  readonly #owned: boolean;
  /** One wrapper per raw connection, so kysely recognises a connection it has seen. */
  readonly #wrapped = new WeakMap<Mysql2Connection, MysqlPoolConnection>();

  constructor(pool: Mysql2Pool, timeout: number, owned: boolean) {
    this.#pool = pool;
    this.#timeout = timeout;
    this.#owned = owned;
  }

  getConnection(callback: (error: unknown, connection: MysqlPoolConnection) => void): void {
    this.#pool.getConnection((error, connection) => {
      if (error !== null && error !== undefined) {
        callback(error, undefined as unknown as MysqlPoolConnection);
        return;
      }
      let wrapped = this.#wrapped.get(connection);
      if (wrapped === undefined) {
        wrapped = timedConnection(connection, this.#timeout);
        this.#wrapped.set(connection, wrapped);
      }
      callback(null, wrapped);
    });
  }

  end(callback: (error: unknown) => void): void {
    if (this.#owned) this.#pool.end(callback);
    else callback(null);
  }
}

/**
 * Bytes of blob parameters from which a statement goes as a prepared
 * statement: the text protocol spells a blob in hex (twice its size), the
 * binary protocol sends it as is, so a value up to `max_allowed_packet`
 * fits instead of half of it.
 */
const LARGE_BLOBS = 64 * 1024;

function timedConnection(raw: Mysql2Connection, timeout: number): MysqlPoolConnection {
  const query = (
    sql: string,
    values: unknown[],
    callback?: (error: unknown, result: never) => void,
  ) => {
    if (callback === undefined) return raw.query({ sql, values, timeout });
    const done = (error: unknown, result: never) => {
      if ((error as { code?: unknown } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') raw.destroy();
      callback(error, result);
    };
    if (blobBytes(values) < LARGE_BLOBS) return raw.query({ sql, values, timeout }, done);
    return raw.execute({ sql, values, timeout }, (error: unknown, result: never) => {
      // Closing a statement has no reply: no round trip, and no statement piles up on the server.
      raw.unprepare(sql);
      done(error, result);
    });
  };
  return { query, release: () => raw.release() } as MysqlPoolConnection;
}

function blobBytes(values: readonly unknown[]): number {
  let bytes = 0;
  for (const value of values) if (Buffer.isBuffer(value)) bytes += value.length;
  return bytes;
}
