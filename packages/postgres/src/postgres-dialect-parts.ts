import type { AddInput, DigestsDatabase, SqlDialectParts, TableNames } from '@digests/sql';
import { type Kysely, sql } from 'kysely';
import { addFunctionMigration, addFunctionName } from './add-function.js';
import { addManyFunctionMigration, addManyFunctionName } from './add-many-function.js';
import { addManySetFunctionMigration } from './add-many-set-function.js';
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
 * `add` as one call of the `<prefix>add` function, and `addMany` as one call
 * of `<prefix>add_many` per chunk of at most 1000 entries.
 *
 * @example
 * ```ts
 * const parts = postgresDialectParts(tableNames({ schema: 'public', tablePrefix: 'digests_' }));
 * ```
 */
export function postgresDialectParts(names: TableNames): SqlDialectParts {
  const schema = names.schema === undefined ? [] : [names.schema];
  const add = sql.id(...schema, addFunctionName(names));
  const addMany = sql.id(...schema, addManyFunctionName(names));
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
    migrations: (tables) => ({
      ...addFunctionMigration(tables),
      ...addManyFunctionMigration(tables),
      ...addManySetFunctionMigration(tables),
    }),
    // kysely's migrator already takes an advisory lock inside one transaction.
    migrate: (db, run) => run(db),
    transaction: (db, fn) => retryConflicts(() => db.transaction().execute(fn)),
    write: (db, fn) => retryConflicts(() => fn(db)),
    add: (db, input) => addOne(db, input),
    // One statement per chunk, one transaction: a deadlock or serialization failure rolls
    // the whole call back, and retrying it is safe.
    addMany: (db, inputs) =>
      retryConflicts(async () => {
        const column = <T>(pick: (input: AddInput) => T) => inputs.map(pick);
        const { rows } = await sql<{ firsts: boolean[] }>`select ${addMany}(
          ${column((i) => i.key.id)}::bytea[], ${column((i) => i.key.bytes)}::bytea[],
          ${column((i) => i.recordKey.id)}::bytea[], ${column((i) => i.recordKey.bytes)}::bytea[],
          ${column((i) => i.value)}::bytea[], ${column((i) => i.valueIsText)}::smallint[],
          ${column((i) => i.timestamp)}::float8[], ${column((i) => i.now)}::float8[],
          ${column((i) => i.incrementDelay)}::float8[], ${column((i) => i.maximumDelay)}::float8[],
          ${column((i) => i.trimTo ?? null)}::integer[]
        ) as firsts`.execute(db);
        const firsts = rows[0]?.firsts ?? [];
        return inputs.map((_, i) => firsts[i] === true);
      }),
    isTransient,
  };
}
