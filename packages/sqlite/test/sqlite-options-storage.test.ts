import { runOptionsStorageConformance, UNUSUAL_OPTION_NAMES } from '@digests/conformance';
import { BackendUnavailableError, ConfigurationError } from '@digests/core';
import { keyBytes, storedKey } from '@digests/sql';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend, SqliteOptionsStorage } from '../src/index.js';
import { tempDirectory } from './support/temp-files.js';

const directory = tempDirectory('digests-sqlite-options');
afterAll(() => directory.remove());
let created = 0;
const files = new WeakMap<object, string>();

runOptionsStorageConformance({
  name: 'sqlite',
  create: async () => {
    const filename = directory.file(`${++created}.db`);
    const storage = new SqliteOptionsStorage({ filename });
    files.set(storage, filename);
    return storage;
  },
  readRaw: async (storage, name) => {
    const db = new Database(files.get(storage)!, { readonly: true });
    try {
      const row = db
        .prepare('select value from digests_options where name_id = ?')
        .get(storedKey(name).id) as { value: Buffer } | undefined;
      return row?.value.toString('utf8');
    } finally {
      db.close();
    }
  },
});

describe('SqliteOptionsStorage', () => {
  it('keeps one row per name in <prefix>options, name and value as UTF-8 BLOBs, NUL included', async () => {
    const filename = directory.file('layout.db');
    const storage = new SqliteOptionsStorage({ filename, tablePrefix: 'app_' });
    for (const [i, name] of UNUSUAL_OPTION_NAMES.entries()) await storage.set(name, `"${i}"`);
    const db = new Database(filename, { readonly: true });
    const rows = db.prepare('select name_id, name, value from app_options').all() as Array<
      Record<'name_id' | 'name' | 'value', Buffer>
    >;
    expect(rows).toHaveLength(UNUSUAL_OPTION_NAMES.length);
    for (const row of rows) expect(row.name_id).toEqual(storedKey(row.name.toString()).id);
    const nul = rows.find((row) => row.name.equals(keyBytes('digests.enabled:\u0000')));
    expect(nul?.value.toString()).toBe(
      `"${UNUSUAL_OPTION_NAMES.indexOf('digests.enabled:\u0000')}"`,
    );
    db.close();
    for (const name of UNUSUAL_OPTION_NAMES) await storage.delete(name);
    await storage.close();
  });

  it('shares the backend’s migrations: one migration table, the backend’s tables untouched', async () => {
    const filename = directory.file('shared.db');
    const backend = new SqliteBackend({ filename });
    await backend.add('k', { key: 'r', value: 1, timestamp: 1 });
    await backend.close();
    const storage = new SqliteOptionsStorage({ filename });
    expect((await storage.migrate()).applied).toEqual([]);
    await storage.set('digests.enabled:k', 'false');
    expect(await storage.get('digests.enabled:k')).toBe('false');
    await storage.close();
    const reopened = new SqliteBackend({ filename });
    expect(await reopened.inspect('k')).toMatchObject({ state: 'ready', size: 1 });
    expect(await reopened.storedRows()).toBe(2);
    await reopened.close();
  });

  it('never closes a database it was given; closes its own', async () => {
    const database = new Database(':memory:');
    const given = new SqliteOptionsStorage({ database });
    await given.set('a', '1');
    await given.close();
    expect(database.open).toBe(true);
    database.close();
    const own = new SqliteOptionsStorage({ filename: directory.file('own.db') });
    await own.set('a', '1');
    await own.close();
    await expect(own.get('a')).rejects.toThrow();
  });

  it('rejects bad options at construction and names UTF-8 cannot hold', async () => {
    expect(() => new SqliteOptionsStorage({})).toThrow(ConfigurationError);
    expect(
      () => new SqliteOptionsStorage({ filename: directory.file('x.db'), tablePrefix: 'x"' }),
    ).toThrow(ConfigurationError);
    const storage = new SqliteOptionsStorage({ filename: directory.file('bad.db') });
    await expect(storage.set('x:\uD800', '1')).rejects.toThrow(/lone surrogate/);
    await expect(storage.set('x', '"\uDC00"')).rejects.toThrow(/lone surrogate/);
    await storage.close();
  });

  it('a locked database is transient: BackendUnavailableError with the cause', async () => {
    const filename = directory.file('busy.db');
    const storage = new SqliteOptionsStorage({ filename, busyTimeout: 20 });
    await storage.set('a', '1');
    const other = new Database(filename);
    other.exec('begin immediate');
    try {
      const error = await storage.set('a', '2').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as Error).cause).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
      // Reads never wait for the writer in WAL mode.
      expect(await storage.get('a')).toBe('1');
    } finally {
      other.exec('rollback');
      other.close();
    }
    await storage.close();
  });
});
