import type pg from 'pg';

const guarded = new WeakSet<pg.Pool>();

/**
 * Keeps a dying connection from crashing the process. pg emits `'error'` on
 * a client whose server connection ends; while the client is checked out
 * (kysely holds it for a query or transaction) nobody listens, so the event
 * would be an uncaught exception. The query in flight still fails, and is
 * reported as `BackendUnavailableError`; the pool then drops the client.
 * Installed once per pool, on every client it creates from now on.
 *
 * @example
 * ```ts
 * guardPoolErrors(pool);
 * ```
 */
export function guardPoolErrors(pool: pg.Pool): void {
  if (guarded.has(pool)) return;
  guarded.add(pool);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
}
