import type { Kysely, Transaction } from 'kysely';
import { isRetryableConflict } from './transient.js';

/** How many times a transaction InnoDB rolled back for a deadlock or lock wait is run. */
const ATTEMPTS = 5;

// biome-ignore lint/suspicious/noExplicitAny: statements are raw SQL on the store's own tables.
export type Db = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: as above.
export type Tx = Transaction<any>;

/**
 * Runs `work` in one READ COMMITTED transaction (row locks, no gap locks).
 * A deadlock or lock wait timeout rolls the whole transaction back, so it is
 * run again from the start, up to 5 times; any other failure is thrown.
 * `sessionIsolation` says the session already runs READ COMMITTED (the
 * store's own pool), saving a round trip.
 *
 * @example
 * ```ts
 * const firsts = await inTransaction(db, true, (tx) => addBatch(tx, names, adds, context));
 * ```
 */
export async function inTransaction<T>(
  db: Db,
  sessionIsolation: boolean,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  return withRetries(() => once(db, sessionIsolation, work));
}

/**
 * Runs `step` again, up to 5 times in all, while it fails with a deadlock or
 * lock wait timeout (InnoDB rolled its transaction back); any other failure
 * is thrown. For steps that are one transaction on the server (a `call`).
 *
 * @example
 * ```ts
 * const sets = await withRetries(() => call(db, sql`call ${proc}(${id})`));
 * ```
 */
export async function withRetries<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(error)) throw error;
    }
  }
}

async function once<T>(
  db: Db,
  sessionIsolation: boolean,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  // The step's own failure: when it cost the connection, the rollback fails
  // too, and kysely would throw that instead of the cause.
  let failure: unknown;
  const run = async (tx: Tx) => {
    try {
      return await work(tx);
    } catch (error) {
      failure = error;
      throw error;
    }
  };
  try {
    const builder = db.transaction();
    return await (sessionIsolation ? builder : builder.setIsolationLevel('read committed')).execute(
      run,
    );
  } catch (error) {
    throw failure ?? error;
  }
}
