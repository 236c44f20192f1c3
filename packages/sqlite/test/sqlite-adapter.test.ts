import { BackendUnavailableError, ConfigurationError } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { addManyCases, runSqlAdapterCases } from '@digests/sql/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { backendFactory, isTransient, migrate, SqliteBackend } from '../src/index.js';
import { sqliteTarget } from './support/sqlite-target.js';
import { tempDirectory } from './support/temp-files.js';

const target = sqliteTarget();
afterAll(() => target.remove());
runSqlAdapterCases(target);
describe('sqlite addMany', () => {
  addManyCases(target, {
    create: (options) => new MemoryBackend(options),
    optionSets: [
      ['small delays', { minimumDelay: 100, incrementDelay: 30, maximumDelay: 1_000 }],
      ['capacity 3, always trimming', { capacity: 3, truncationChance: 1, minimumDelay: 50 }],
      ['ttl', { ttl: 5_000, maximumDelay: 2_000 }],
    ],
  });

  it('a store error part-way rolls back its transaction: 1000 entries per transaction', async () => {
    const database = new Database(':memory:');
    const backend = new SqliteBackend({ database });
    await backend.migrate();
    // The 1501st record fails inside SQLite, after every check passed.
    database.exec(`create trigger fail before insert on digests_records
      when new.timestamp = 1500 begin select raise(abort, 'boom'); end`);
    const entries = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        key: `k${i % 7}`,
        record: { key: `r${i}`, value: i, timestamp: i },
      }));
    const rows = () => database.prepare('select count(*) as n from digests_records').get();
    await expect(backend.addMany(entries(1_200).slice(600))).resolves.toHaveLength(600);
    expect(rows()).toEqual({ n: 600 });
    database.exec('delete from digests_records; delete from digests_timelines');
    // One transaction per 1000 entries: the first commits, the second rolls back whole.
    await expect(backend.addMany(entries(2_500))).rejects.toThrow('boom');
    expect(rows()).toEqual({ n: 1_000 });
    expect(database.inTransaction).toBe(false);
    database.exec('delete from digests_records; delete from digests_timelines');
    await expect(
      backend.addMany(entries(1_000).slice(500).concat(entries(1_501).slice(1_500))),
    ).rejects.toThrow('boom');
    expect(rows()).toEqual({ n: 0 });
    await backend.close();
    database.close();
  });
});

const directory = tempDirectory('digests-sqlite-adapter');
afterAll(() => directory.remove());
const record = { key: 'r', value: 1, timestamp: 1 };

describe('SqliteBackend options', () => {
  it('rejects bad options synchronously, before opening anything', () => {
    const filename = directory.file('never.db');
    expect(() => new SqliteBackend({ filename, tablePrefix: 'x"; drop table t; --' })).toThrow(
      ConfigurationError,
    );
    expect(() => new SqliteBackend({ filename, minimumDelay: -1 })).toThrow(ConfigurationError);
    expect(() => new SqliteBackend({})).toThrow(ConfigurationError);
    expect(() => new SqliteBackend({ filename, database: new Database(':memory:') })).toThrow(
      ConfigurationError,
    );
    expect(() => new SqliteBackend({ filename, busyTimeout: -5 })).toThrow(ConfigurationError);
  });

  it('opens :memory: and a file in WAL mode with a busy timeout', async () => {
    const memory = new SqliteBackend({ filename: ':memory:' });
    expect(await memory.add('k', record)).toBe(true);
    await memory.close();
    const filename = directory.file('wal.db');
    const backend = new SqliteBackend({ filename, busyTimeout: 1234 });
    await backend.add('k', record);
    const peek = new Database(filename);
    expect(peek.pragma('journal_mode', { simple: true })).toBe('wal');
    peek.close();
    await backend.close();
  });

  it('never closes a database it was given; closes its own', async () => {
    const database = new Database(':memory:');
    const given = new SqliteBackend({ database });
    await given.add('k', record);
    await given.close();
    expect(database.open).toBe(true);
    expect(database.prepare('select count(*) as n from digests_records').get()).toEqual({ n: 1 });
    database.close();

    const own = new SqliteBackend({ filename: directory.file('own.db') });
    await own.add('k', record);
    await own.close();
    await expect(own.inspect('k')).rejects.toThrow();
  });

  it('migrate() creates the tables once, in its own migration table', async () => {
    const filename = directory.file('migrate.db');
    expect(await migrate({ filename, tablePrefix: 'm_' })).toEqual({
      applied: [
        '0001_tables',
        '0003_options',
        '0006_quarantine',
        '0007_records_oldest',
        '0008_live_side',
        '0009_timelines_due_key',
      ],
      latest: '0009_timelines_due_key',
    });
    expect((await migrate({ filename, tablePrefix: 'm_' })).applied).toEqual([]);
    const db = new Database(filename);
    const tables = db
      .prepare("select name from sqlite_master where type in ('table', 'index') order by name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'm_migrations',
        'm_migrations_lock',
        'm_options',
        'm_quarantine',
        'm_records',
        'm_records_oldest',
        'm_timelines',
        'm_timelines_due',
        'm_timelines_touched',
      ]),
    );
    db.close();
  });
});

describe('SqliteBackend errors', () => {
  it('a locked database is transient: BackendUnavailableError with the cause', async () => {
    const filename = directory.file('busy.db');
    const backend = new SqliteBackend({ filename, busyTimeout: 20 });
    await backend.add('k', record);
    const other = new Database(filename);
    other.exec('begin immediate');
    try {
      const error = await backend.add('k', { ...record, key: 'r2' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as Error).cause).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect((await backend.inspect('k')).size).toBe(1);
    await backend.close();
  });

  it('classifies busy and locked as transient, constraint and syntax errors not', () => {
    expect(isTransient({ code: 'SQLITE_BUSY' })).toBe(true);
    expect(isTransient({ code: 'SQLITE_BUSY_SNAPSHOT' })).toBe(true);
    expect(isTransient({ code: 'SQLITE_LOCKED' })).toBe(true);
    expect(isTransient({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })).toBe(false);
    expect(isTransient({ code: 'SQLITE_ERROR' })).toBe(false);
    expect(isTransient(new Error('x'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });

  it('a broken schema is not transient: the original error passes through', async () => {
    const database = new Database(':memory:');
    const backend = new SqliteBackend({ database });
    await backend.add('k', record);
    database.exec('drop table digests_records');
    const error = await backend.add('k', record).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(BackendUnavailableError);
    expect((error as { code?: string }).code).toBe('SQLITE_ERROR');
    database.close();
  });
});

describe('sqlite backendFactory', () => {
  it('builds a backend from a config and names bad fields', async () => {
    expect(backendFactory.name).toBe('sqlite');
    const backend = await backendFactory.create(
      { filename: ':memory:', tablePrefix: 'f_' },
      {},
      'root',
    );
    expect(await backend.add('k', record)).toBe(true);
    await backend.close();
    expect(() => backendFactory.create({}, {}, 'root')).toThrow('root.filename');
    expect(() => backendFactory.create({ filename: 'x', tablePrefix: 3 }, {}, 'a.b')).toThrow(
      'a.b.tablePrefix',
    );
  });
});
