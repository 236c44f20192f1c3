import type { StoreContext } from '@digests/core';
import type {
  DigestsDatabase,
  SnapshotRow,
  SqlAdd,
  SqlDialectParts,
  SqlOpened,
  TableNames,
} from '@digests/sql';
import { type Kysely, sql } from 'kysely';
import { addFunctionMigration, addFunctionName } from './add-function.js';
import { addManyFunctionMigration, addManyFunctionName } from './add-many-function.js';
import { addManySetFunctionMigration } from './add-many-set-function.js';
import {
  commitFunctionName,
  digestFunctionsMigration,
  openFunctionName,
} from './digest-functions.js';
import { liveSnapshotMigration } from './live-snapshot-migration.js';
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

/** A closing row's kind (see `digestFunctionsMigration`). */
const OPENED = 1;
const OPENED_MORE = 2;
const CONFLICT = 3;

interface OpenRow {
  o_kind: number;
  o_record_key: Uint8Array | null;
  o_value: Uint8Array | null;
  o_value_is_text: number | null;
  o_timestamp: number | null;
}

/**
 * The PostgreSQL side of the SQL store: `bytea` keys, `double precision`
 * times, row locks (`FOR UPDATE`, claims with `SKIP LOCKED`), short
 * READ COMMITTED transactions retried on deadlock or serialization failure.
 * The hot steps are one statement each: `add` one call of `<prefix>add`, a
 * batch one call of `<prefix>add_many`, a digest one call of
 * `<prefix>open_digest` and one of `<prefix>commit_digest`.
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
  const open = sql.id(...schema, openFunctionName(names));
  const commit = sql.id(...schema, commitFunctionName(names));
  const addOne = (db: Kysely<DigestsDatabase>, input: SqlAdd, { now, touch }: StoreContext) =>
    retryConflicts(async () => {
      const { rows } = await sql<{ first: boolean }>`select ${add}(
        ${input.key.id}::bytea, ${input.key.bytes}::bytea,
        ${input.recordKey.id}::bytea, ${input.recordKey.bytes}::bytea, ${input.value}::bytea,
        ${input.valueIsText}::smallint, ${input.timestamp}::float8, ${now}::float8,
        ${input.incrementDelay}::float8, ${input.maximumDelay}::float8,
        ${input.trimTo ?? null}::integer, ${input.dueAt ?? null}::float8,
        ${input.flushThreshold ?? null}::integer, ${touch}::boolean
      ) as first`.execute(db);
      return rows[0]?.first === true;
    });
  // One statement per chunk, one transaction: a deadlock or serialization failure rolls
  // the whole call back, and retrying it is safe.
  const addBatch = (
    db: Kysely<DigestsDatabase>,
    inputs: readonly SqlAdd[],
    { now, touch }: StoreContext,
  ) =>
    retryConflicts(async () => {
      const column = <T>(pick: (input: SqlAdd) => T) => inputs.map(pick);
      const { rows } = await sql<{ firsts: boolean[] }>`select ${addMany}(
        ${column((i) => i.key.id)}::bytea[], ${column((i) => i.key.bytes)}::bytea[],
        ${column((i) => i.recordKey.id)}::bytea[], ${column((i) => i.recordKey.bytes)}::bytea[],
        ${column((i) => i.value)}::bytea[], ${column((i) => i.valueIsText)}::smallint[],
        ${column((i) => i.timestamp)}::float8[], ${column(() => now)}::float8[],
        ${column((i) => i.incrementDelay)}::float8[], ${column((i) => i.maximumDelay)}::float8[],
        ${column((i) => i.trimTo ?? null)}::integer[], ${column((i) => i.dueAt ?? null)}::float8[],
        ${column((i) => i.flushThreshold ?? null)}::integer[], ${touch}::boolean
      ) as firsts`.execute(db);
      const firsts = rows[0]?.firsts ?? [];
      return inputs.map((_, i) => firsts[i] === true);
    });
  return {
    name: 'postgres',
    columnTypes: { bytes: 'bytea', double: 'double precision', small: 'smallint' },
    rowLocking: true,
    migrations: (tables) => ({
      ...addFunctionMigration(tables),
      ...addManyFunctionMigration(tables),
      ...addManySetFunctionMigration(tables),
      ...digestFunctionsMigration(tables),
      ...liveSnapshotMigration(tables),
    }),
    liveSide: true,
    // kysely's migrator already takes an advisory lock inside one transaction.
    migrate: (db, run) => run(db),
    transaction: (db, fn) => retryConflicts(() => db.transaction().execute(fn)),
    write: (db, fn) => retryConflicts(() => fn(db)),
    add: async (db, adds, context) =>
      adds.length === 1 ? [await addOne(db, adds[0]!, context)] : addBatch(db, adds, context),
    open: (db, request) =>
      retryConflicts(async (): Promise<SqlOpened> => {
        const { rows } = await sql<OpenRow>`select * from ${open}(
          ${request.timelineId}::bytea, ${request.token}::text, ${request.now}::float8,
          ${request.expiresAt}::float8, ${request.touch}::boolean,
          ${request.capacity ?? null}::integer, ${request.limit ?? null}::integer
        )`.execute(db);
        const closing = rows[rows.length - 1];
        if (closing === undefined || closing.o_kind === CONFLICT) return { outcome: 'conflict' };
        if (closing.o_kind !== OPENED && closing.o_kind !== OPENED_MORE) {
          return { outcome: 'not-ready' };
        }
        const records: SnapshotRow[] = new Array(rows.length - 1);
        for (let i = 0; i < rows.length - 1; i++) {
          const row = rows[i]!;
          records[i] = {
            record_key: row.o_record_key!,
            value: row.o_value!,
            value_is_text: row.o_value_is_text!,
            timestamp: row.o_timestamp!,
          };
        }
        return { outcome: 'opened', rows: records, more: closing.o_kind === OPENED_MORE };
      }),
    commit: (db, request) =>
      retryConflicts(async () => {
        const { delivered } = request;
        const mode = delivered.kind === 'all' ? 0 : delivered.kind === 'upTo' ? 1 : 2;
        const upTo = delivered.kind === 'upTo' ? delivered : undefined;
        const { rows } = await sql<{ ours: boolean }>`select ${commit}(
          ${request.timelineId}::bytea, ${request.token}::text, ${request.now}::float8,
          ${request.minimumDelay}::float8, ${request.touch}::boolean, ${mode}::smallint,
          ${upTo?.timestamp ?? null}::float8, ${upTo?.recordKey ?? null}::bytea
        ) as ours`.execute(db);
        return rows[0]?.ours === true;
      }),
    isTransient,
  };
}
