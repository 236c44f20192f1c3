import type Database from 'better-sqlite3';

/**
 * How many hot write transactions (adds, digest steps) a connection runs
 * before its first WAL checkpoint. After each checkpoint the interval is
 * rescaled so that a checkpoint finds about {@link CHECKPOINT_FRAMES} frames.
 */
export const CHECKPOINT_EVERY = 200;

/**
 * The WAL frames (pages) a checkpoint should find: SQLite's own automatic
 * threshold (1000 pages, 4 MB at the default page size). Checkpointing
 * more often costs adds throughput (each one syncs the WAL and the file).
 */
export const CHECKPOINT_FRAMES = 1000;

/**
 * The next number of writes between two checkpoints, from the last one:
 * `frames` found in the WAL after `writes` writes of this connection. The
 * frames include other processes' writes, so with several processes each
 * one checkpoints less often, and the WAL still restarts every ~1000 frames.
 *
 * @example
 * ```ts
 * nextCheckpointInterval(200, 500); // 400
 * ```
 */
export function nextCheckpointInterval(writes: number, frames: number): number {
  if (frames <= 0) return CHECKPOINT_EVERY;
  return Math.max(20, Math.min(1000, Math.round((writes * CHECKPOINT_FRAMES) / frames)));
}

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
 * the frames the WAL held when it finished, or `undefined` when it was busy
 * (retried after the next write).
 * Durability is untouched: a checkpoint only copies committed pages.
 *
 * @example
 * ```ts
 * const frames = checkpointWal(database, 50); // undefined: busy, try again later
 * ```
 */
export function checkpointWal(database: Database.Database, wait: number): number | undefined {
  const busyTimeout = database.pragma('busy_timeout', { simple: true }) as number;
  try {
    database.pragma(`busy_timeout = ${Math.min(wait, busyTimeout)}`);
    const [result] = database.pragma('wal_checkpoint(RESTART)') as {
      busy: number;
      log: number;
    }[];
    return result?.busy === 0 ? result.log : undefined;
  } catch {
    // Busy past `wait`: tried again after the next write.
    return undefined;
  } finally {
    database.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
