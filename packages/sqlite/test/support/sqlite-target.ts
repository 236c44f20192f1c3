import type { BackendOptions } from '@digests/core';
import { type DigestsDatabase, type SqlBackend, TableNamesPlugin } from '@digests/sql';
import type { SqlAdapterTarget } from '@digests/sql/testing';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach } from 'vitest';
import { SqliteBackend } from '../../src/index.js';
import { tempDirectory } from './temp-files.js';

/**
 * SQL adapter cases on SQLite: a database file per backend in a temporary
 * directory; the tables are read through a second connection to that file.
 */
export function sqliteTarget(): SqlAdapterTarget & { remove(): void } {
  const directory = tempDirectory('digests-sqlite');
  const files = new WeakMap<SqlBackend<unknown>, string>();
  let opened: Array<{ destroy(): Promise<void> }> = [];
  let created = 0;
  afterEach(async () => {
    await Promise.all(opened.map((o) => o.destroy()));
    opened = [];
  });
  const build = (filename: string, options: BackendOptions<unknown> & { tablePrefix?: string }) => {
    const backend = new SqliteBackend({ ...options, filename });
    files.set(backend, filename);
    opened.push({ destroy: () => backend.close() });
    return backend;
  };
  return {
    name: 'sqlite',
    liveSide: true,
    create: async (options) => build(directory.file(`${++created}.db`), options),
    sibling: async (backend, options) => build(files.get(backend)!, options),
    tables: async (backend) => {
      const db = new Kysely<DigestsDatabase>({
        dialect: new SqliteDialect({ database: new Database(files.get(backend)!) }),
      });
      opened.push(db);
      return db.withPlugin(new TableNamesPlugin(backend.tableNames));
    },
    remove: () => directory.remove(),
  };
}
