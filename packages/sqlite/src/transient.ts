/**
 * Whether a better-sqlite3 error means "try again later": the database file
 * is locked by another connection or process (`SQLITE_BUSY*`,
 * `SQLITE_LOCKED*`) past the busy timeout. Constraint, syntax and I/O errors
 * are not transient.
 *
 * @example
 * ```ts
 * try { await backend.add(key, record); } catch (error) {
 *   if (isTransient((error as Error).cause)) scheduleRetry();
 * }
 * ```
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}
