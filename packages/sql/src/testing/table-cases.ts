import { CompressedJsonCodec, LeaseLostError } from '@digests/core';
import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import type { DigestsDatabase } from '../schema.js';
import { keyBytes, storedKey } from '../stored-values.js';
import type { SqlAdapterTarget } from './target.js';

const T = 1_700_000_000_000;

/** Cases that read the tables directly after each operation. */
export function tableCases(target: SqlAdapterTarget, clock: { now: number }): void {
  const options = () => ({ clock: () => clock.now });
  /** The records of the one timeline stored, each with the side it is in. */
  const sides = async (db: Kysely<DigestsDatabase>) => {
    const rows = await db.selectFrom('records').select(['snapshot', 'timestamp']).execute();
    const timeline = target.liveSide
      ? await db.selectFrom('timelines').select(sql<number>`live`.as('live')).executeTakeFirst()
      : undefined;
    const live = Number(timeline?.live ?? 0);
    return rows.map((row) => ({ inSnapshot: row.snapshot !== live, timestamp: row.timestamp }));
  };

  it('add stores one timeline row and one record row, keys as UTF-8 bytes', async () => {
    const backend = await target.create(options());
    const db = await target.tables(backend);
    const key = 'mail\u0000:{p}:😀';
    expect(await backend.add(key, { key: 'é1', value: { n: 1 }, timestamp: T + 0.5 })).toBe(true);
    const timelines = await db.selectFrom('timelines').selectAll().execute();
    expect(timelines).toHaveLength(1);
    expect(Buffer.from(timelines[0]!.timeline_key)).toEqual(keyBytes(key));
    expect(Buffer.from(timelines[0]!.timeline_id)).toEqual(storedKey(key).id);
    expect(timelines[0]).toMatchObject({
      state: 'ready',
      score: T + 0.5,
      last_processed: null,
      lease_token: null,
      touched_at: clock.now,
    });
    const records = await db.selectFrom('records').selectAll().execute();
    expect(records).toHaveLength(1);
    expect(Buffer.from(records[0]!.record_key)).toEqual(Buffer.from('é1', 'utf8'));
    expect(Buffer.from(records[0]!.value).toString('utf8')).toBe('{"n":1}');
    expect(records[0]).toMatchObject({ snapshot: 0, value_is_text: 1, timestamp: T + 0.5 });
  });

  it('the longest keys fit, whatever their UTF-8 length (3 KB for 1024 CJK units)', async () => {
    const backend = await target.create(options());
    const wide = (seed: number) =>
      Array.from({ length: 1024 }, (_, i) =>
        String.fromCharCode(0x4e00 + ((i * 7919 + seed) % 20_000)),
      ).join('');
    const [key, other] = [wide(1), wide(2)];
    expect(Buffer.byteLength(key)).toBe(3072);
    await backend.add(key, { key: wide(3), value: 1, timestamp: T + 1 });
    await backend.add(key, { key: wide(4), value: 2, timestamp: T });
    await backend.add(other, { key: wide(3), value: 3, timestamp: T });
    expect(await backend.inspect(key)).toEqual({ state: 'ready', score: T + 1, size: 2 });
    const records = await backend.digest(key, (r) => r.map((x) => [x.key, x.value]));
    expect(records).toEqual([
      [wide(3), 1],
      [wide(4), 2],
    ]);
    expect((await backend.inspect(other)).size).toBe(1);
  });

  it('a bytes codec is stored as bytes and read back as bytes', async () => {
    const backend = await target.create({ ...options(), codec: new CompressedJsonCodec() });
    const db = await target.tables(backend);
    await backend.add('k', { key: 'r', value: { big: 'x'.repeat(1000) }, timestamp: T });
    const row = await db.selectFrom('records').selectAll().executeTakeFirstOrThrow();
    expect(row.value_is_text).toBe(0);
    expect(row.value.byteLength).toBeLessThan(100);
    const [record] = await backend.digest('k', (records) => records);
    expect(record?.value).toEqual({ big: 'x'.repeat(1000) });
  });

  it('while fn runs, the records sit in the snapshot under a lease; commit clears both', async () => {
    const backend = await target.create({ ...options(), minimumDelay: 1000 });
    const db = await target.tables(backend);
    await backend.add('k', { key: 'a', value: 1, timestamp: T });
    await backend.digest('k', async () => {
      const row = await db.selectFrom('timelines').selectAll().executeTakeFirstOrThrow();
      expect(row.lease_token).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.lease_expires_at).toBe(clock.now + backend.options.leaseDuration);
      expect(await sides(db)).toEqual([{ inSnapshot: true, timestamp: T }]);
      await backend.add('k', { key: 'a', value: 2, timestamp: T + 1 });
    });
    const row = await db.selectFrom('timelines').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'waiting',
      score: clock.now + 1000,
      last_processed: clock.now,
      lease_token: null,
      lease_expires_at: null,
    });
    // The record added while fn ran, same record key, is kept in the timeline.
    expect(await sides(db)).toEqual([{ inSnapshot: false, timestamp: T + 1 }]);
  });

  it('a failed digest leaves the snapshot and no lease; delete leaves no row', async () => {
    const backend = await target.create(options());
    const db = await target.tables(backend);
    await backend.add('k', { key: 'a', value: 1, timestamp: T });
    await expect(
      backend.digest('k', () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await sides(db)).toEqual([{ inSnapshot: true, timestamp: T }]);
    expect(
      await db.selectFrom('timelines').select(['state', 'lease_token']).executeTakeFirst(),
    ).toEqual({ state: 'ready', lease_token: null });
    await backend.delete('k');
    expect(await backend.storedRows()).toBe(0);
    expect(await db.selectFrom('records').selectAll().execute()).toEqual([]);
  });

  it('delete during a digest drops the lease: the commit throws LeaseLostError', async () => {
    const backend = await target.create(options());
    await backend.add('k', { key: 'a', value: 1, timestamp: T });
    await expect(backend.digest('k', () => backend.delete('k'))).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    expect(await backend.storedRows()).toBe(0);
  });

  it('two prefixes on one store never see each other', async () => {
    const one = await target.create({ ...options(), tablePrefix: 'one_' });
    const two = await target.sibling(one, { ...options(), tablePrefix: 'two_' });
    await one.add('k', { key: 'a', value: 1, timestamp: T });
    expect(await two.inspect('k')).toEqual({ state: 'absent', size: 0 });
    expect(await two.storedRows()).toBe(0);
    expect(await one.storedRows()).toBe(2);
    expect(one.tableNames.timelines).toBe('one_timelines');
    expect(two.tableNames.records).toBe('two_records');
    await two.close();
  });

  it('stats() counts keys per state, records and the next due time', async () => {
    const backend = await target.create(options());
    expect(await backend.stats()).toEqual({ waiting: 0, ready: 0, records: 0 });
    await backend.add('a', { key: 'r1', value: 1, timestamp: T });
    await backend.add('a', { key: 'r2', value: 1, timestamp: T });
    await backend.add('b', { key: 'r1', value: 1, timestamp: T + 5 });
    await backend.add('c', { key: 'r1', value: 1, timestamp: T + 9 });
    await backend.maintenance(T + 5);
    expect(await backend.stats()).toEqual({ waiting: 2, ready: 1, records: 4, oldestDue: T });
  });

  it('migrate() is idempotent and reports what it applied', async () => {
    const backend = await target.create({ ...options(), tablePrefix: 'fresh_' });
    const first = await backend.migrate();
    const again = await backend.migrate();
    expect(first.latest).toMatch(/^\d{4}_/);
    expect(again).toEqual({ applied: [], latest: first.latest });
  });
}
