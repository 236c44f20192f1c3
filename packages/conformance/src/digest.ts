import { CompressedJsonCodec, InvalidStateError } from '@digests/core';
import { expect } from 'vitest';
import {
  collect,
  failDigest,
  type Harness,
  info,
  keysOf,
  makeWaiting,
  record,
  take,
} from './harness.js';

/** SPEC "digest": snapshot, newest first, remove only on success, merge after failure. */
export function digestCases(h: Harness): void {
  h.case('digest.4', 'hands the records newest first', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now - 3));
    await backend.add('k', record('b', h.now - 1));
    await backend.add('k', record('c', h.now - 2));
    expect(await take(backend, 'k')).toEqual([
      record('b', h.now - 1),
      record('c', h.now - 2),
      record('a', h.now - 3),
    ]);
  });

  h.case(
    'digest.4',
    'equal timestamps are ordered by record key, descending in code points',
    async () => {
      const backend = await h.backend();
      for (const key of ['x', '😀', 'z', '\uffff', 'y']) await backend.add('k', record(key, h.now));
      expect(keysOf(await take(backend, 'k'))).toEqual(['😀', '\uffff', 'z', 'y', 'x']);
    },
  );

  h.case(
    'digest.6',
    'success removes the records, returns the result and waits minimumDelay',
    async () => {
      const backend = await h.backend({ minimumDelay: 300 });
      await backend.add('k', record('a', h.now - 10));
      await backend.add('k', record('b', h.now - 5));
      h.advance(1_000);
      const result = await backend.digest('k', (records) => `sent ${records.length}`);
      expect(result).toBe('sent 2');
      expect(await info(backend, 'k')).toEqual({
        state: 'waiting',
        score: h.now + 300,
        size: 0,
        lastProcessed: h.now,
      });
    },
  );

  h.case('digest.6', 'the per-call minimumDelay overrides the backend option', async () => {
    const backend = await h.backend({ minimumDelay: 300 });
    await backend.add('k', record('a', h.now));
    await take(backend, 'k', { minimumDelay: 7 });
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', score: h.now + 7 });
  });

  h.case('digest.4', 'fn is called exactly once, and may be synchronous', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    let calls = 0;
    const result = await backend.digest('k', (records) => {
      calls++;
      return records.length;
    });
    expect(result).toBe(1);
    expect(calls).toBe(1);
  });

  h.case(
    'digest.5',
    'a failed digest keeps every record, leaves the key ready and re-throws',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now - 2));
      await backend.add('k', record('b', h.now - 1));
      await failDigest(backend, 'k');
      expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now - 2, size: 2 });
      expect(await take(backend, 'k')).toEqual([record('b', h.now - 1), record('a', h.now - 2)]);
    },
  );

  h.case('digest.5', 'a rejected promise from fn counts as a failure too', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    const error = new Error('async failure');
    await expect(backend.digest('k', async () => Promise.reject(error))).rejects.toBe(error);
    expect(await take(backend, 'k')).toEqual([record('a', h.now)]);
  });

  h.case(
    'digest.5',
    'the digest after a failure sees the old records plus the new ones',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now - 3));
      await backend.add('k', record('b', h.now - 2));
      await failDigest(backend, 'k');
      await backend.add('k', record('c', h.now - 1));
      expect((await backend.inspect('k')).size).toBe(3);
      expect(keysOf(await take(backend, 'k'))).toEqual(['c', 'b', 'a']);
      expect((await backend.inspect('k')).size).toBe(0);
    },
  );

  h.case(
    'digest.3',
    'a record key in both the left-over snapshot and the timeline keeps the newer',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now - 10, 'old a'));
      await backend.add('k', record('b', h.now - 10, 'new b'));
      await failDigest(backend, 'k');
      await backend.add('k', record('a', h.now, 'new a'));
      await backend.add('k', record('b', h.now - 20, 'old b'));
      expect(await take(backend, 'k')).toEqual([
        record('a', h.now, 'new a'),
        record('b', h.now - 10, 'new b'),
      ]);
    },
  );

  h.case(
    'digest.3',
    'on equal timestamps the record added after the failed digest wins the merge',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now, 'left over'));
      await failDigest(backend, 'k');
      await backend.add('k', record('a', h.now, 'added later'));
      expect(await take(backend, 'k')).toEqual([record('a', h.now, 'added later')]);
    },
  );

  h.case('digest.3', 'a failed digest merged with new records is trimmed to capacity', async () => {
    const backend = await h.backend({ capacity: 3, truncationChance: 0 });
    for (let i = 0; i < 3; i++) await backend.add('k', record(`old${i}`, h.now + i));
    await failDigest(backend, 'k');
    for (let i = 0; i < 3; i++) await backend.add('k', record(`new${i}`, h.now + 10 + i));
    expect(keysOf(await take(backend, 'k'))).toEqual(['new2', 'new1', 'new0']);
    expect((await backend.inspect('k')).size).toBe(0);
  });

  h.case('digest.6', 'a record added while fn runs survives the digest', async () => {
    const backend = await h.backend({ minimumDelay: 100 });
    await backend.add('k', record('a', h.now));
    await backend.digest('k', async () => {
      expect(await backend.add('k', record('during', h.now + 1))).toBe(false);
    });
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: h.now + 100,
      size: 1,
      lastProcessed: h.now,
    });
    h.advance(100);
    expect(keysOf(await collect(backend.schedule(h.now)))).toEqual(['k']);
    expect(await take(backend, 'k')).toEqual([record('during', h.now - 99)]);
  });

  h.case(
    'digest.6',
    "a record re-added with a snapshot record's key while fn runs survives",
    async () => {
      const backend = await h.backend({ minimumDelay: 0 });
      await backend.add('k', record('a', h.now, 'first'));
      await backend.digest('k', async (records) => {
        expect(records).toEqual([record('a', h.now, 'first')]);
        await backend.add('k', record('a', h.now + 1, 'second'));
      });
      expect((await backend.inspect('k')).size).toBe(1);
      await collect(backend.schedule(h.now));
      expect(await take(backend, 'k')).toEqual([record('a', h.now + 1, 'second')]);
    },
  );

  h.case(
    'digest.6',
    'an empty digest makes the key absent and forgets last-processed',
    async () => {
      const backend = await h.backend({ minimumDelay: 100 });
      await backend.add('k', record('a', h.now));
      await take(backend, 'k');
      h.advance(100);
      await collect(backend.schedule(h.now));
      expect(await take(backend, 'k')).toEqual([]);
      expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
      await h.expectStoresNothing(backend);
      expect(await backend.add('k', record('b', h.now))).toBe(true);
      expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 1 });
    },
  );

  h.case(
    'digest.2',
    'digest of an absent key rejects InvalidStateError without calling fn',
    async () => {
      const backend = await h.backend();
      let called = false;
      const fn = () => {
        called = true;
      };
      await expect(backend.digest('nothing', fn)).rejects.toBeInstanceOf(InvalidStateError);
      expect(called).toBe(false);
      await h.expectStoresNothing(backend);
    },
  );

  h.case(
    'digest.2',
    'digest of a waiting key rejects InvalidStateError and changes nothing',
    async () => {
      const backend = await h.backend();
      await makeWaiting(backend, 'k', h.now + 50);
      const before = await info(backend, 'k');
      await expect(backend.digest('k', () => undefined)).rejects.toBeInstanceOf(InvalidStateError);
      expect(await info(backend, 'k')).toEqual(before);
      await expect(backend.digest('k', () => undefined)).rejects.toBeInstanceOf(InvalidStateError);
    },
  );

  h.case('input.2', 'values round-trip through the default codec', async () => {
    const backend = await h.backend();
    const values = [
      { nested: { list: [1, 'two', null, true, { deep: [] }] } },
      'plain string with ünïcödé and 😀',
      '',
      0,
      -1.5e-7,
      false,
      null,
      [],
      'x'.repeat(100_000),
      { date: new Date(0) },
    ];
    for (const [i, value] of values.entries())
      await backend.add('k', record(`r${i}`, h.now - i, value));
    const got = await take(backend, 'k');
    expect(got.map((r) => r.value)).toEqual(JSON.parse(JSON.stringify(values)));
  });

  h.case('input.2', 'values round-trip through the compressed JSON codec', async () => {
    const backend = await h.backend({ codec: new CompressedJsonCodec({ threshold: 16 }) });
    const values = [{ small: 1 }, { big: 'y'.repeat(50_000), list: [1, 2, 3] }];
    for (const [i, value] of values.entries())
      await backend.add('k', record(`r${i}`, h.now - i, value));
    expect((await take(backend, 'k')).map((r) => r.value)).toEqual(values);
  });
}
