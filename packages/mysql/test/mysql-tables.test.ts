import { BackendUnavailableError, InvalidKeyError, InvalidRecordError } from '@digests/core';
import { MemoryBackend } from '@digests/memory';
import { Kysely, Migrator, MysqlDialect, type MysqlPool } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MysqlBackend, MysqlMigrations } from '../src/index.js';
import { dropTables, requireMysql, testPool, uniquePrefix } from './support/mysql-server.js';

const available = await requireMysql();
const T = 1_700_000_000_000;

describe.skipIf(!available)('MySQL tables', () => {
  const { pool, end } = testPool();
  const prefixes: string[] = [];
  const opened: MysqlBackend[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((backend) => backend.close()));
    await dropTables(pool, prefixes);
    await end();
  });

  const backend = (options: { clock?: () => number; capacity?: number } = {}) => {
    const tablePrefix = uniquePrefix('tab');
    prefixes.push(tablePrefix);
    const created = new MysqlBackend({ pool, tablePrefix, clock: () => T, ...options });
    opened.push(created);
    return created;
  };

  /** Reads a table of `b` directly. */
  const select = async (b: MysqlBackend, query: (names: MysqlBackend['tableNames']) => string) => {
    const [rows] = await pool.promise().query(query(b.tableNames));
    return rows as Record<string, unknown>[];
  };
  const count = async (b: MysqlBackend, table: 'timelines' | 'records' | 'quarantine') => {
    const [row] = await select(b, (names) => `select count(*) as n from \`${names[table]}\``);
    return Number(row?.n);
  };

  it('describes itself as MySQL at host:port/database', () => {
    expect(backend().store.description).toBe('MySQL at 127.0.0.1:3306/test');
  });

  it('rejected input writes no row', async () => {
    const b = backend();
    await b.migrate();
    await expect(b.add('', { key: 'e', value: 1, timestamp: T })).rejects.toBeInstanceOf(
      InvalidKeyError,
    );
    await expect(
      b.addMany([
        { key: 'k', record: { key: 'e1', value: 1, timestamp: T } },
        { key: 'k', record: { key: 'e2', value: 1, timestamp: Number.NaN } },
      ]),
    ).rejects.toBeInstanceOf(InvalidRecordError);
    for (const table of ['timelines', 'records', 'quarantine'] as const) {
      expect(await count(b, table)).toBe(0);
    }
  });

  it('a drained timeline leaves no row', async () => {
    const b = backend();
    await b.add('mail:p:1', { key: 'e1', value: 'a', timestamp: T });
    await b.add('mail:p:1', { key: 'e2', value: 'b', timestamp: T + 1 });
    expect(await count(b, 'records')).toBe(2);
    await b.digest('mail:p:1', () => undefined);
    expect(await count(b, 'records')).toBe(0);
    expect(await count(b, 'timelines')).toBe(1); // waiting, with L
    for await (const _ of b.schedule(Number.POSITIVE_INFINITY));
    await b.digest('mail:p:1', () => undefined);
    expect(await b.storedRows()).toBe(0);
    for (const table of ['timelines', 'records', 'quarantine'] as const) {
      expect(await count(b, table)).toBe(0);
    }
  });

  it('stores keys as their UTF-8 bytes under a SHA-256 id, NUL, emoji and braces included', async () => {
    const b = backend();
    const key = 'mail:{p}:\u0000😀';
    const recordKey = `r\u0000${'x'.repeat(1000)}😀`;
    await b.add(key, { key: recordKey, value: { n: 1 }, timestamp: T });
    const [timeline] = await select(
      b,
      (names) =>
        `select hex(timeline_key) as k, hex(timeline_id) as id, upper(sha2(timeline_key, 256)) as sha from \`${names.timelines}\``,
    );
    expect(timeline?.k).toBe(Buffer.from(key, 'utf8').toString('hex').toUpperCase());
    expect(timeline?.id).toBe(timeline?.sha);
    const [record] = await select(
      b,
      (names) =>
        `select length(record_key) as bytes, value_is_text, convert(value using utf8mb4) as value from \`${names.records}\``,
    );
    expect(record).toEqual({
      bytes: Buffer.byteLength(recordKey),
      value_is_text: 1,
      value: '{"n":1}',
    });
    const [got] = await b.digest(key, (records) => records.map((r) => r.key));
    expect(got).toBe(recordKey);
  });

  it('orders ties by key bytes (code points), not by a collation', async () => {
    const b = backend();
    for (const key of ['b', 'B', 'a', '\uffff', '😀', 'ä']) {
      await b.add('k', { key, value: 0, timestamp: T });
    }
    const keys = await b.digest('k', (records) => records.map((r) => r.key));
    expect(keys).toEqual(['😀', '\uffff', 'ä', 'b', 'a', 'B']);
  });

  it('a limited digest reads only `limit` rows and leaves the rest in the snapshot', async () => {
    const b = backend();
    await b.addMany(
      Array.from({ length: 50 }, (_, i) => ({
        key: 'big',
        record: { key: `e${String(i).padStart(2, '0')}`, value: i, timestamp: T + i },
      })),
    );
    const first = await b.digest('big', (records) => records.map((r) => r.key), { limit: 5 });
    expect(first).toEqual(['e04', 'e03', 'e02', 'e01', 'e00']);
    const [snapshot] = await select(
      b,
      (names) =>
        `select count(*) as n from \`${names.records}\` r join \`${names.timelines}\` t
          using (timeline_id) where r.side <> t.timeline_side`,
    );
    expect(Number(snapshot?.n)).toBe(45);
    expect((await b.inspect('big')).state).toBe('ready');
  });

  it('an add that read "ready" while a digest dropped the emptied timeline row stores its record under a new ready row', async () => {
    const b = backend();
    await b.add('k', { key: 'e1', value: 1, timestamp: T });
    // A second connection plays the committing digest: it holds the timeline row exclusively…
    const digest = await pool.promise().getConnection();
    try {
      await digest.query('start transaction');
      await digest.query(`select * from \`${b.tableNames.timelines}\` for update`);
      // …while the add reads "ready" without a lock and waits for its shared lock…
      const adding = b.add('k', { key: 'e2', value: 2, timestamp: T + 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // …then empties the timeline, drops its row and commits.
      await digest.query(`delete from \`${b.tableNames.records}\``);
      await digest.query(`delete from \`${b.tableNames.timelines}\``);
      await digest.query('commit');
      expect(await adding).toBe(true);
    } finally {
      digest.release();
    }
    expect(await b.inspect('k')).toMatchObject({ state: 'ready', size: 1 });
    expect(await b.digest('k', (records) => records.map((r) => r.key))).toEqual(['e2']);
  });

  it('keeps its migration bookkeeping in <prefix>migrations', async () => {
    const b = backend();
    const all = ['0001_tables', '0002_sides_and_procedures', '0003_procedures_recreated'];
    expect(await b.migrate()).toEqual({ applied: all, latest: all[2] });
    expect(await b.migrate()).toEqual({ applied: [], latest: all[2] });
    const rows = await select(b, (names) => `select name from \`${names.migrations}\``);
    expect(rows.map((row) => row.name)).toEqual(all);
  });

  it('tables with data at 0001 upgrade to 0002 and back, keeping timeline and snapshot apart', async () => {
    const b = backend();
    // Kysely ends its pool on destroy(): hand it one that leaves the file's pool open.
    const borrowed = {
      getConnection: pool.getConnection.bind(pool),
      end: (done: (error: unknown) => void) => done(null),
    } as unknown as MysqlPool;
    const db = new Kysely({ dialect: new MysqlDialect({ pool: borrowed }) });
    const migrator = new Migrator({
      db,
      provider: new MysqlMigrations(b.tableNames),
      migrationTableName: b.tableNames.migrations,
      migrationLockTableName: b.tableNames.migrationsLock,
    });
    try {
      // One key digested (its timeline moved to side 1), a snapshot left by a failed digest, one record added since.
      await b.add('moved', { key: 'e1', value: 'm1', timestamp: T });
      await b.digest('moved', () => undefined);
      await b.add('moved', { key: 'e2', value: 'm2', timestamp: T + 1 });
      await b.add('left', { key: 'e1', value: 'l1', timestamp: T });
      await b.digest('left', () => Promise.reject(new Error('fail'))).catch(() => undefined);
      await b.add('left', { key: 'e2', value: 'l2', timestamp: T + 2 });
      expect((await migrator.migrateTo('0001_tables')).error).toBeUndefined();
      const old = await select(
        b,
        (names) =>
          `select convert(value using utf8mb4) as v, snapshot from \`${names.records}\` order by v`,
      );
      expect(old).toEqual([
        { v: '"l1"', snapshot: 1 },
        { v: '"l2"', snapshot: 0 },
        { v: '"m2"', snapshot: 0 },
      ]);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      for await (const _ of b.schedule(Number.POSITIVE_INFINITY));
      expect(await b.digest('left', (records) => records.map((r) => r.value))).toEqual([
        'l2',
        'l1',
      ]);
      expect(await b.digest('moved', (records) => records.map((r) => r.value))).toEqual(['m2']);
    } finally {
      await db.destroy();
    }
  });

  it('with autoMigrate: false, a step fails until migrate() ran', async () => {
    const tablePrefix = uniquePrefix('tab');
    prefixes.push(tablePrefix);
    const b = new MysqlBackend({ pool, tablePrefix, autoMigrate: false });
    opened.push(b);
    await expect(b.inspect('k')).rejects.toThrow(/doesn't exist/);
    await b.migrate();
    expect((await b.inspect('k')).state).toBe('absent');
  });

  it('peek pages through timeline and snapshot rows in the same order as the reference store', async () => {
    const b = backend();
    const memory = new MemoryBackend({ clock: () => T });
    for (const target of [b, memory]) {
      for (const [key, timestamp] of [
        ['b', 1],
        ['a', 1],
        ['😀', 2],
        ['c', 0],
      ] as const) {
        await target.add('k', { key, value: key, timestamp: T + timestamp });
      }
      // A failed digest leaves a snapshot; a record key then lands in both.
      await target.digest('k', () => Promise.reject(new Error('fail'))).catch(() => undefined);
      await target.add('k', { key: 'a', value: 'a2', timestamp: T + 1 });
    }
    const pages = async (target: MysqlBackend | MemoryBackend) => {
      const seen: unknown[] = [];
      let after: string | undefined;
      do {
        const page = await target.peek('k', {
          limit: 2,
          ...(after === undefined ? {} : { after }),
        });
        seen.push(...page.records);
        after = page.next;
      } while (after !== undefined);
      return seen;
    };
    const ours = await pages(b);
    expect(ours).toEqual(await pages(memory));
    expect(ours).toHaveLength(5);
    await memory.close();
  });

  it('a value over max_allowed_packet rejects as permanent (retrying cannot help) and writes nothing', async () => {
    const b = backend();
    const [[limit]] = (await pool
      .promise()
      .query('select @@max_allowed_packet as n')) as unknown as [{ n: number }[]];
    // JSON spells NUL in six bytes: the encoded value exceeds the packet limit.
    const value = '\u0000'.repeat(Math.ceil(Number(limit?.n) / 6) + 1000);
    const error = await b.add('k', { key: 'e', value, timestamp: T }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BackendUnavailableError);
    expect(String((error as Error).message)).toMatch(/max_allowed_packet/);
    expect(await b.storedRows()).toBe(0);
  });
});
