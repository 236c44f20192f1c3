import type * as core from '@digests/core';
import { type MigrationSummary, migrateTables } from './migrations.js';
import type { MysqlStoreConfig } from './mysql-store-config.js';
import { addBatch } from './queries/add.js';
import { addInOneCall, addsInOneCall } from './queries/add-one.js';
import { addToReady } from './queries/add-to-ready.js';
import { commitDigest } from './queries/commit.js';
import { quarantineRecords, releaseLease, renewLease } from './queries/lease.js';
import { openDigest } from './queries/open.js';
import { peekRecords } from './queries/peek.js';
import { deleteQuarantinedValues, readQuarantined } from './queries/quarantined.js';
import { countAll, countRows, inspectKey, listKeys } from './queries/reading.js';
import { deleteKey, expireUntouched, removeRecords } from './queries/removal.js';
import { claimDue, flushKey, requeueStuck } from './queries/schedule.js';
import type { TableNames } from './table-names.js';
import { type Db, inTransaction, type Tx } from './transaction.js';
import { isTransient } from './transient.js';

/** Keys a maintenance transaction moves or discards at most (row locks held stay few). */
const MAINTENANCE_BATCH = 500;

/**
 * The {@link core.DigestStore} on MySQL / MariaDB (InnoDB): three tables, every
 * step one transaction (READ COMMITTED, row locks taken on the timeline row
 * first), `select … for update skip locked` for claiming due keys. Built
 * from the store interface and the contract alone; the front
 * (`StoreBackend`) does every check, codec and lease decision.
 *
 * @example
 * ```ts
 * const store = new MysqlStore(mysqlStoreConfig({ url: 'mysql://root@127.0.0.1:3306/test' }));
 * const backend = new StoreBackend(store, { minimumDelay: 60_000 });
 * ```
 */
export class MysqlStore implements core.DigestStore {
  readonly description: string;
  readonly maxBatch = 500;
  readonly #db: Db;
  readonly #names: TableNames;
  readonly #sessionIsolation: boolean;
  readonly #autoMigrate: boolean;
  #migrated: Promise<unknown> | undefined;

  constructor(config: MysqlStoreConfig) {
    this.description = config.description;
    this.#db = config.db;
    this.#names = config.names;
    this.#sessionIsolation = config.sessionIsolation;
    this.#autoMigrate = config.autoMigrate;
  }

  /** The table names this store uses. */
  get tableNames(): TableNames {
    return this.#names;
  }

  /**
   * Brings the tables to the latest migration (idempotent).
   *
   * @example
   * ```ts
   * const { applied } = await store.migrate();
   * ```
   */
  migrate(): Promise<MigrationSummary> {
    const running = migrateTables(this.#db, this.#names);
    this.#migrated = running;
    running.catch(() => {
      if (this.#migrated === running) this.#migrated = undefined;
    });
    return running;
  }

  async add(adds: readonly core.StoreAdd[], context: core.StoreContext): Promise<boolean[]> {
    const [one] = adds;
    if (adds.length === 1 && one !== undefined && addsInOneCall(one)) {
      return [await addInOneCall(await this.#ready(), this.#names, one, context)];
    }
    const plain =
      !context.touch &&
      adds.every((add) => add.trimTo === undefined && add.flushThreshold === undefined);
    return this.#transaction(async (tx) => {
      if (plain && (await addToReady(tx, this.#names, adds))) return adds.map(() => false);
      return addBatch(tx, this.#names, adds, context);
    });
  }

  async open(request: core.OpenRequest): Promise<core.OpenResult> {
    return openDigest(await this.#ready(), this.#names, request);
  }

  async renew(key: string, token: string, expiresAt: number): Promise<boolean> {
    return renewLease(await this.#ready(), this.#names, key, token, expiresAt);
  }

  async release(key: string, token: string): Promise<void> {
    await releaseLease(await this.#ready(), this.#names, key, token);
  }

  async quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void> {
    await this.#transaction((tx) => quarantineRecords(tx, this.#names, key, token, recordKeys));
  }

  async commit(request: core.CommitRequest): Promise<boolean> {
    return commitDigest(await this.#ready(), this.#sessionIsolation, this.#names, request);
  }

  async claim(deadline: number, limit: number): Promise<core.ScheduleEntry[]> {
    return this.#transaction((tx) => claimDue(tx, this.#names, deadline, limit));
  }

  async requeue(deadline: number, now: number): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.#transaction((tx) =>
        requeueStuck(tx, this.#names, deadline, now, MAINTENANCE_BATCH),
      );
      total += moved;
      if (moved < MAINTENANCE_BATCH) return total;
    }
  }

  async expire(touchedBefore: number, now: number): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.#transaction((tx) =>
        expireUntouched(tx, this.#names, touchedBefore, now, MAINTENANCE_BATCH),
      );
      total += expired;
      if (expired < MAINTENANCE_BATCH) return total;
    }
  }

  async flush(key: string, now: number): Promise<void> {
    await flushKey(await this.#ready(), this.#names, key, now);
  }

  async delete(key: string): Promise<void> {
    await this.#transaction((tx) => deleteKey(tx, this.#names, key));
  }

  async inspect(key: string): Promise<core.StoreInfo> {
    return inspectKey(await this.#ready(), this.#names, key);
  }

  async remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    return this.#transaction((tx) => removeRecords(tx, this.#names, key, recordKeys, now));
  }

  async list(request: core.ListRequest): Promise<core.ListEntry[]> {
    return listKeys(await this.#ready(), this.#names, request);
  }

  async quarantined(key: string): Promise<core.StoredRecord[]> {
    return readQuarantined(await this.#ready(), this.#names, key);
  }

  async deleteQuarantined(key: string, recordKeys: readonly string[] | undefined): Promise<number> {
    return deleteQuarantinedValues(await this.#ready(), this.#names, key, recordKeys);
  }

  async peek(key: string, request: core.PeekRequest): Promise<core.PeekedStoredRecord[]> {
    return peekRecords(await this.#ready(), this.#names, key, request);
  }

  async stats(): Promise<core.BackendStats> {
    return countAll(await this.#ready(), this.#names);
  }

  async storedItems(): Promise<number> {
    return countRows(await this.#ready(), this.#names);
  }

  isTransient(error: unknown): boolean {
    return isTransient(error);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  /** The kysely instance once the tables are there (migrating first with `autoMigrate`). */
  async #ready(): Promise<Db> {
    if (this.#autoMigrate) await (this.#migrated ?? this.migrate());
    return this.#db;
  }

  async #transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return inTransaction(await this.#ready(), this.#sessionIsolation, work);
  }
}
