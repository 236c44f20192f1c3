import type { AddInput, DigestsDatabase, SqlDialectParts, TableNames } from '@digests/sql';
import { type Kysely, sql } from 'kysely';
import { addFunctionMigration, addFunctionName } from './add-function.js';
import { isRetryableConflict, isTransient } from './transient.js';

/** How often a statement or transaction is retried after a deadlock or serialization failure. */
const ATTEMPTS = 5;

async function retryConflicts<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

/**
 * The PostgreSQL side of the SQL backend: `bytea` keys, `double precision`
 * times, row locks (`FOR UPDATE`, claims with `SKIP LOCKED`), short
 * READ COMMITTED transactions retried on deadlock or serialization failure,
 * and `add` as one call of the `<prefix>add` function.
 *
 * @example
 * ```ts
 * const parts = postgresDialectParts(tableNames({ schema: 'public', tablePrefix: 'digests_' }));
 * ```
 */
export function postgresDialectParts(names: TableNames): SqlDialectParts {
  const add = sql.id(...(names.schema === undefined ? [] : [names.schema]), addFunctionName(names));
  const addOne = (db: Kysely<DigestsDatabase>, input: AddInput) =>
    retryConflicts(async () => {
      const { rows } = await sql<{ first: boolean }>`select ${add}(
        ${input.key.id}::bytea, ${input.key.bytes}::bytea,
        ${input.recordKey.id}::bytea, ${input.recordKey.bytes}::bytea, ${input.value}::bytea,
        ${input.valueIsText}::smallint, ${input.timestamp}::float8, ${input.now}::float8,
        ${input.incrementDelay}::float8, ${input.maximumDelay}::float8,
        ${input.trimTo ?? null}::integer
      ) as first`.execute(db);
      return rows[0]?.first === true;
    });
  return {
    name: 'postgres',
    columnTypes: { bytes: 'bytea', double: 'double precision', small: 'smallint' },
    rowLocking: true,
    migrations: addFunctionMigration,
    // kysely's migrator already takes an advisory lock inside one transaction.
    migrate: (db, run) => run(db),
    transaction: (db, fn) => retryConflicts(() => db.transaction().execute(fn)),
    write: (db, fn) => retryConflicts(() => fn(db)),
    add: (db, input) => addOne(db, input),
    addMany: async (db, inputs) => {
      const results: boolean[] = [];
      for (const input of inputs) results.push(await addOne(db, input));
      return results;
    },
    isTransient,
  };
}
