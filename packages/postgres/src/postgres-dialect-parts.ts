import type { StoreContext } from '@digests/core';
import type {
  DigestsDatabase,
  SnapshotRow,
  SqlAdd,
  SqlDialectParts,
  SqlOpened,
  TableNames,
} from '@digests/sql';
import { CompiledQuery, type Kysely } from 'kysely';
import { addFunctionMigration, addFunctionName } from './add-function.js';
import { addManyFunctionMigration, addManyFunctionName } from './add-many-function.js';
import { addManySetFunctionMigration } from './add-many-set-function.js';
import {
  commitFunctionName,
  digestFunctionsMigration,
  openFunctionName,
} from './digest-functions.js';
import { liveSnapshotMigration } from './live-snapshot-migration.js';
import { qualified } from './sql-fragments.js';
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
  const add = qualified(names, addFunctionName(names));
  const addMany = qualified(names, addManyFunctionName(names));
  const open = qualified(names, openFunctionName(names));
  const commit = qualified(names, commitFunctionName(names));
  // The hot statements' text is fixed per prefix: built once, sent as is (no
  // query building per call).
  const addText = `select ${add}($1::bytea, $2::bytea, $3::bytea, $4::bytea, $5::bytea,
    $6::smallint, $7::float8, $8::float8, $9::float8, $10::float8, $11::integer, $12::float8,
    $13::integer, $14::boolean) as first`;
  const addManyText = `select ${addMany}($1::bytea[], $2::bytea[], $3::bytea[], $4::bytea[],
    $5::bytea[], $6::smallint[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],
    $11::integer[], $12::float8[], $13::integer[], $14::boolean) as firsts`;
  const openText = `select * from ${open}($1::bytea, $2::text, $3::float8, $4::float8,
    $5::boolean, $6::integer, $7::integer)`;
  const commitText = `select ${commit}($1::bytea, $2::text, $3::float8, $4::float8, $5::boolean,
    $6::smallint, $7::float8, $8::bytea) as ours`;
  const addOne = (db: Kysely<DigestsDatabase>, input: SqlAdd, { now, touch }: StoreContext) =>
    retryConflicts(async () => {
      const { rows } = await db.executeQuery<{ first: boolean }>(
        CompiledQuery.raw(addText, [
          input.key.id,
          input.key.bytes,
          input.recordKey.id,
          input.recordKey.bytes,
          input.value,
          input.valueIsText,
          input.timestamp,
          now,
          input.incrementDelay,
          input.maximumDelay,
          input.trimTo ?? null,
          input.dueAt ?? null,
          input.flushThreshold ?? null,
          touch,
        ]),
      );
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
      const { rows } = await db.executeQuery<{ firsts: boolean[] }>(
        CompiledQuery.raw(addManyText, [
          column((i) => i.key.id),
          column((i) => i.key.bytes),
          column((i) => i.recordKey.id),
          column((i) => i.recordKey.bytes),
          column((i) => i.value),
          column((i) => i.valueIsText),
          column((i) => i.timestamp),
          column(() => now),
          column((i) => i.incrementDelay),
          column((i) => i.maximumDelay),
          column((i) => i.trimTo ?? null),
          column((i) => i.dueAt ?? null),
          column((i) => i.flushThreshold ?? null),
          touch,
        ]),
      );
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
        const { rows } = await db.executeQuery<OpenRow>(
          CompiledQuery.raw(openText, [
            request.timelineId,
            request.token,
            request.now,
            request.expiresAt,
            request.touch,
            request.capacity ?? null,
            request.limit ?? null,
          ]),
        );
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
        const { rows } = await db.executeQuery<{ ours: boolean }>(
          CompiledQuery.raw(commitText, [
            request.timelineId,
            request.token,
            request.now,
            request.minimumDelay,
            request.touch,
            mode,
            upTo?.timestamp ?? null,
            upTo?.recordKey ?? null,
          ]),
        );
        return rows[0]?.ours === true;
      }),
    isTransient,
  };
}
