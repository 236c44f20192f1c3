import type Database from 'better-sqlite3';

/**
 * How many hot write transactions (adds, digest steps) a connection runs
 * before it checkpoints the WAL. Each process counts its own writes, so
 * with P processes the WAL holds at most about P × this many transactions.
 */
export const CHECKPOINT_EVERY = 200;

/** The WAL file is cut back to this size when it restarts (`journal_size_limit`). */
export const JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024;

/**
 * Keeps the WAL file bounded under sustained load from several processes.
 *
 * Why the WAL grew: it starts over only when a writer begins while every
 * frame has been copied back into the database file. SQLite's automatic
 * checkpoints are PASSIVE and run after a commit, after the write lock is
 * released, so under writes from several processes another writer has
 * always appended frames by the time they finish: the WAL never restarts.
 * Once it passes the automatic threshold, every commit of every process
 * runs one, and they hold the checkpoint lock nearly all the time; a
 * `RESTART` checkpoint needs that lock and, by SQLite's rule, fails at
 * once (no busy wait) when another checkpoint holds it — hence "always
 * busy" and a WAL of 100+ MB.
 *
 * So the files the backend opens turn the automatic checkpoints off
 * (`wal_autocheckpoint = 0`) and this one `RESTART` checkpoint does the
 * work: it takes the write lock (waiting at most `wait` ms), copies every
 * frame, and waits for readers, after which the next writer starts the WAL
 * over and `journal_size_limit` truncates the file. Called right after the
 * caller's own commit, it usually gets the write lock first. It returns
 * whether it finished; a busy one is retried after the next write.
 * Durability is untouched: a checkpoint only copies committed pages.
 *
 * @example
 * ```ts
 * if (++writes >= CHECKPOINT_EVERY && checkpointWal(database, 50)) writes = 0;
 * ```
 */
export function checkpointWal(database: Database.Database, wait: number): boolean {
  const busyTimeout = database.pragma('busy_timeout', { simple: true }) as number;
  try {
    database.pragma(`busy_timeout = ${Math.min(wait, busyTimeout)}`);
    const [result] = database.pragma('wal_checkpoint(RESTART)') as { busy: number }[];
    return result?.busy === 0;
  } catch {
    // Busy past `wait`: tried again after the next write.
    return false;
  } finally {
    database.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
