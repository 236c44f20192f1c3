/**
 * How every chaos process (producer, worker, orchestrator) reaches the store
 * under test. The orchestrator passes the place in environment variables;
 * delays are short so digests happen constantly.
 *
 * @module
 */
import type { Backend, BackendOptions } from '@digests/core';
import { MysqlBackend } from '@digests/mysql';
import { PostgresBackend } from '@digests/postgres';
import { RedisBackend } from '@digests/redis';
import { SqliteBackend } from '@digests/sqlite';
import pg from 'pg';

export const CHAOS_STORES = ['redis', 'postgres', 'sqlite', 'mysql'] as const;
export type ChaosStore = (typeof CHAOS_STORES)[number];

/** Where the store is: set by the orchestrator for its children. */
export interface ChaosPlace {
  readonly store: ChaosStore;
  /** Redis URL, PostgreSQL connection string, SQLite file or MySQL URL (of the run's own database). */
  readonly target: string;
  /** PostgreSQL schema. */
  readonly schema?: string;
  readonly ledgerDir: string;
}

/** Short delays and a short lease: many digests, and lost leases under faults. */
export const CHAOS_OPTIONS: BackendOptions<string> = {
  minimumDelay: 300,
  incrementDelay: 100,
  maximumDelay: 1000,
  leaseDuration: 2000,
};

/** Connections of chaos processes carry this prefix (`pg_terminate_backend` filters on it). */
export const APPLICATION_PREFIX = 'digests-chaos';

export function placeToEnv(place: ChaosPlace): Record<string, string> {
  return {
    CHAOS_STORE: place.store,
    CHAOS_TARGET: place.target,
    CHAOS_SCHEMA: place.schema ?? '',
    CHAOS_LEDGER: place.ledgerDir,
  };
}

export function placeFromEnv(): ChaosPlace {
  const { CHAOS_STORE, CHAOS_TARGET, CHAOS_SCHEMA, CHAOS_LEDGER } = process.env;
  if (!CHAOS_STORE || !CHAOS_TARGET || !CHAOS_LEDGER) {
    throw new Error('chaos processes are started by src/chaos.ts');
  }
  return {
    store: CHAOS_STORE as ChaosStore,
    target: CHAOS_TARGET,
    ...(CHAOS_SCHEMA ? { schema: CHAOS_SCHEMA } : {}),
    ledgerDir: CHAOS_LEDGER,
  };
}

/**
 * Opens the backend of `place`; PostgreSQL connections are tagged with
 * `application_name = digests-chaos-<role>`.
 *
 * @example
 * ```ts
 * const { backend, close } = openChaosBackend(placeFromEnv(), 'worker');
 * ```
 */
export function openChaosBackend(
  place: ChaosPlace,
  role: string,
): { backend: Backend<string> & { migrate?: () => Promise<unknown> }; close: () => Promise<void> } {
  switch (place.store) {
    case 'redis': {
      const backend = new RedisBackend<string>({
        ...CHAOS_OPTIONS,
        url: place.target,
        namespace: 'chaos',
      });
      return { backend, close: () => backend.close() };
    }
    case 'postgres': {
      const pool = new pg.Pool({
        connectionString: place.target,
        application_name: `${APPLICATION_PREFIX}-${role}`,
        max: 6,
      });
      // A terminated idle connection errors on the pool; the next query opens another.
      pool.on('error', () => undefined);
      const backend = new PostgresBackend<string>({
        ...CHAOS_OPTIONS,
        pool,
        ...(place.schema === undefined ? {} : { schema: place.schema }),
      });
      return {
        backend,
        close: async () => {
          await backend.close();
          await pool.end();
        },
      };
    }
    case 'sqlite': {
      const backend = new SqliteBackend<string>({ ...CHAOS_OPTIONS, filename: place.target });
      return { backend, close: () => backend.close() };
    }
    case 'mysql': {
      // The run's database is the tag: faults kill the connections whose processlist db is it.
      const backend = new MysqlBackend<string>({ ...CHAOS_OPTIONS, url: place.target });
      return { backend, close: () => backend.close() };
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
