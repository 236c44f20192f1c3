import { BackendUnavailableError, DigestsError } from '@digests/core';
import type { Kysely, Migration } from 'kysely';
import type { SqlDialectParts } from './dialect-parts.js';
import { type MigrationSummary, migrateToLatest, sharedMigrations } from './migrations.js';
import type { DigestsDatabase } from './schema.js';
import type { TableNames } from './table-names.js';

/** A connection to one SQL store under one prefix: what stores and options storages run on. */
export interface SqlStoreConfig {
  /** Names the store and where it is, for messages: `SQLite at ./digests.db`. */
  readonly description: string;
  /** Queries go here (the {@link TableNamesPlugin} applied). */
  readonly db: Kysely<DigestsDatabase>;
  /** The migrator runs here (no plugin). */
  readonly migrationDb: Kysely<unknown>;
  readonly names: TableNames;
  readonly parts: SqlDialectParts;
  readonly autoMigrate: boolean;
  /** Closes the connections opened for this store; a no-op for given ones. */
  readonly close: () => Promise<void>;
}

/**
 * Every migration of a prefix: the shared ones, then the dialect's. A
 * backend and an options storage on one prefix share one migration table,
 * so both always run the whole list.
 *
 * @example
 * ```ts
 * const migrations = allMigrations(names, parts); // { '0001_tables', '0003_options', '0006_quarantine', … }
 * ```
 */
export function allMigrations(
  names: TableNames,
  parts: SqlDialectParts,
): Record<string, Migration> {
  return { ...sharedMigrations(names, parts.columnTypes), ...parts.migrations(names) };
}

/**
 * Runs operations on a {@link SqlStoreConfig}: migrates once first when
 * `autoMigrate` is on (retrying after a failure). {@link SqlRunner.guard}
 * reports what the dialect calls transient as `BackendUnavailableError`, for
 * callers without a front that does it (the options storage).
 *
 * @example
 * ```ts
 * const runner = new SqlRunner(config);
 * const info = await runner.run((db) => inspectTimeline(db, id));
 * ```
 */
export class SqlRunner {
  readonly #config: SqlStoreConfig;
  #ready: Promise<void> | undefined;

  constructor(config: SqlStoreConfig) {
    this.#config = config;
  }

  /** The physical table names of the store. */
  get names(): TableNames {
    return this.#config.names;
  }

  /** The connection and prefix this runner works on. */
  get config(): SqlStoreConfig {
    return this.#config;
  }

  /** Brings the tables to the newest schema (idempotent). */
  async migrate(): Promise<MigrationSummary> {
    const { migrationDb, names, parts } = this.#config;
    const migrations = allMigrations(names, parts);
    const summary = await parts.migrate(migrationDb, (db) =>
      migrateToLatest(db, names, migrations),
    );
    // Migrated: `autoMigrate` has nothing left to do.
    this.#ready ??= Promise.resolve();
    return summary;
  }

  /** Migrates once if asked to, then runs `fn`; failures pass through untouched. */
  async run<T>(
    fn: (db: Kysely<DigestsDatabase>, parts: SqlDialectParts) => Promise<T>,
  ): Promise<T> {
    if (this.#config.autoMigrate) {
      this.#ready ??= this.migrate().then(
        () => undefined,
        (error: unknown) => {
          this.#ready = undefined;
          throw error;
        },
      );
      await this.#ready;
    }
    return fn(this.#config.db, this.#config.parts);
  }

  /** Runs `fn`, reporting a transient failure as `BackendUnavailableError`. */
  async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof DigestsError || !this.#config.parts.isTransient(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new BackendUnavailableError(`${this.#config.description} is unavailable: ${reason}`, {
        cause: error,
      });
    }
  }

  /** Closes what was opened for this store. */
  close(): Promise<void> {
    return this.#config.close();
  }
}
