import type { MigrationSummary } from '@digests/sql';
import { SqliteBackend, type SqliteBackendOptions } from './sqlite-backend.js';

/**
 * Creates or upgrades the tables (idempotent), e.g. from a deploy script
 * when backends run with `autoMigrate: false`.
 *
 * @example
 * ```ts
 * const { applied } = await migrate({ filename: './digests.db' });
 * console.log(applied); // ['0001_tables', '0003_options'] the first time, [] after
 * ```
 */
export async function migrate(
  options: Pick<SqliteBackendOptions, 'database' | 'filename' | 'tablePrefix' | 'busyTimeout'>,
): Promise<MigrationSummary> {
  const backend = new SqliteBackend({ ...options, autoMigrate: false });
  try {
    return await backend.migrate();
  } finally {
    await backend.close();
  }
}
