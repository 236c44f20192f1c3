import type Database from 'better-sqlite3';

/** How many hot write transactions (adds, digest steps) run between two WAL checkpoints. */
export const CHECKPOINT_EVERY = 1000;

/** The WAL file is cut back to this size when it restarts (`journal_size_limit`). */
export const JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024;

/**
 * Keeps the WAL file bounded under sustained load from several processes.
 * SQLite's automatic checkpoints are PASSIVE: while any process is reading,
 * the WAL can never start over from its beginning, so under constant traffic
 * it only grows. A `RESTART` checkpoint waits (briefly: `wait` ms, through
 * the busy handler) until every reader uses the database file, after which
 * the next writer starts the WAL over, and `journal_size_limit` truncates
 * the file. Durability is untouched: a checkpoint only copies committed
 * pages into the database file. A checkpoint that cannot finish within
 * `wait` is left for the next one.
 *
 * @example
 * ```ts
 * if (++writes % CHECKPOINT_EVERY === 0) checkpointWal(database, 50);
 * ```
 */
export function checkpointWal(database: Database.Database, wait: number): void {
  const busyTimeout = database.pragma('busy_timeout', { simple: true }) as number;
  try {
    database.pragma(`busy_timeout = ${Math.min(wait, busyTimeout)}`);
    database.pragma('wal_checkpoint(RESTART)');
  } catch {
    // Busy past `wait`: the next checkpoint tries again.
  } finally {
    database.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
