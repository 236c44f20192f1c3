import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

/** The part of better-sqlite3's `Database` a statement cache wraps. */
interface PreparingDatabase {
  close(): unknown;
  prepare(sql: string): SqliteStatement;
}

/**
 * Wraps a better-sqlite3 database so kysely reuses prepared statements:
 * kysely prepares every query anew, and the backend's queries are a few
 * dozen fixed shapes, so preparing dominates an `add`. Statements are used
 * one at a time (kysely's single connection is behind a mutex), which is
 * what makes reuse safe. The oldest entries go past `size`.
 *
 * @example
 * ```ts
 * new SqliteDialect({ database: withStatementCache(new Database(file)) });
 * ```
 */
export function withStatementCache(database: PreparingDatabase, size = 256): KyselySqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => void database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
