import type { MigrationSummary } from '@digests/sql';
import { PostgresBackend, type PostgresBackendOptions } from './postgres-backend.js';

/**
 * Creates or upgrades the tables and the `add` function (idempotent), e.g.
 * from a deploy script when backends run with `autoMigrate: false`.
 *
 * @example
 * ```ts
 * const { applied } = await migrate({ connectionString: process.env.DATABASE_URL, schema: 'app' });
 * ```
 */
export async function migrate(
  options: Pick<
    PostgresBackendOptions,
    'pool' | 'connectionString' | 'db' | 'schema' | 'tablePrefix'
  >,
): Promise<MigrationSummary> {
  const backend = new PostgresBackend({ ...options, autoMigrate: false });
  try {
    return await backend.migrate();
  } finally {
    await backend.close();
  }
}
