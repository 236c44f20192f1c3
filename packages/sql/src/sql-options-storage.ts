import { CodecError, InvalidKeyError, type OptionsStorage } from '@digests/core';
import type { MigrationSummary } from './migrations.js';
import { readOption, removeOption, writeOption } from './queries/options.js';
import { SqlRunner, type SqlStoreConfig } from './sql-runner.js';
import { keyText, storedKey } from './stored-values.js';
import type { TableNames } from './table-names.js';

/**
 * Core's {@link OptionsStorage} on the shared SQL schema: one row per name
 * in `<prefix>options` (name and value as UTF-8 bytes, found by the name's
 * SHA-256), one statement per call. The table comes with the backend's
 * migrations (same prefix, same migration table). Transient failures reject
 * `BackendUnavailableError` (with the cause), so an `OptionsStore` in front
 * serves stale values within its grace; this class caches nothing.
 * `PostgresOptionsStorage` and `SqliteOptionsStorage` extend it with their
 * connection options.
 *
 * @example
 * ```ts
 * class MyOptionsStorage extends SqlOptionsStorage {
 *   constructor(options: MyOptions) { super(myStoreConfig(options)); }
 * }
 * ```
 */
export class SqlOptionsStorage implements OptionsStorage {
  readonly #store: SqlRunner;

  constructor(config: SqlStoreConfig) {
    this.#store = new SqlRunner(config);
  }

  /** The physical table names (`names.options` holds the values). */
  get tableNames(): TableNames {
    return this.#store.names;
  }

  /** Creates or upgrades the tables (idempotent); `autoMigrate` runs it before the first call. */
  migrate(): Promise<MigrationSummary> {
    return this.#store.guard(() => this.#store.migrate());
  }

  async get(name: string): Promise<string | undefined> {
    const { id } = storedKey(checkName(name));
    const value = await this.#store.guard(() => this.#store.run((db) => readOption(db, id)));
    return value === undefined ? undefined : keyText(value);
  }

  async set(name: string, value: string): Promise<void> {
    const stored = storedKey(checkName(name));
    if (typeof value !== 'string' || !value.isWellFormed()) {
      throw new CodecError(`the value of option ${name} must be a string without lone surrogates`);
    }
    const bytes = Buffer.from(value, 'utf8');
    await this.#store.guard(() =>
      this.#store.run((db, parts) => parts.write(db, (w) => writeOption(w, stored, bytes))),
    );
  }

  async delete(name: string): Promise<void> {
    const { id } = storedKey(checkName(name));
    await this.#store.guard(() =>
      this.#store.run((db, parts) => parts.write(db, (w) => removeOption(w, id))),
    );
  }

  /** Closes the connection when this storage opened it; a given one stays open. */
  close(): Promise<void> {
    return this.#store.close();
  }
}

/** UTF-8 cannot hold a lone surrogate: two names would share one row. */
function checkName(name: string): string {
  if (typeof name !== 'string' || !name.isWellFormed()) {
    throw new InvalidKeyError('an option name must be a string without lone surrogates');
  }
  return name;
}
