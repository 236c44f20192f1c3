import { ConfigurationError } from '@digests/core';
import { expect } from 'vitest';
import { collect, failDigest, type Harness, info, keysOf, record, take } from './harness.js';

/** Contract digest.8: a digest with `limit` takes the oldest `limit` records. */
export function limitCases(h: Harness): void {
  h.case('digest.8', 'limit hands the oldest records, newest first', async () => {
    const backend = await h.backend();
    for (const [key, at] of [
      ['e', 5],
      ['a', 1],
      ['d', 4],
      ['b', 2],
      ['c', 3],
    ] as const) {
      await backend.add('k', record(key, h.now + at));
    }
    expect(keysOf(await take(backend, 'k', { limit: 3 }))).toEqual(['c', 'b', 'a']);
  });

  h.case('digest.8', 'ties in timestamp are taken by record key ascending', async () => {
    const backend = await h.backend();
    for (const key of ['d', 'b', '😀', 'a', 'c']) await backend.add('k', record(key, h.now));
    expect(keysOf(await take(backend, 'k', { limit: 2 }))).toEqual(['b', 'a']);
    expect(keysOf(await take(backend, 'k', { limit: 2 }))).toEqual(['d', 'c']);
    expect(keysOf(await take(backend, 'k', { limit: 2 }))).toEqual(['😀']);
  });

  h.case(
    'digest.8',
    'only the handed records are removed; the key stays ready with L = now',
    async () => {
      const backend = await h.backend({ minimumDelay: 100 });
      for (let i = 0; i < 5; i++) await backend.add('k', record(`r${i}`, h.now - 10 + i));
      h.advance(50);
      await take(backend, 'k', { limit: 2 });
      expect(await info(backend, 'k')).toEqual({
        state: 'ready',
        score: h.now - 60,
        size: 3,
        lastProcessed: h.now,
      });
    },
  );

  h.case('digest.8', 'the next digests get the rest, then the key waits', async () => {
    const backend = await h.backend({ minimumDelay: 100 });
    for (let i = 0; i < 5; i++) await backend.add('k', record(`r${i}`, h.now + i));
    expect(keysOf(await take(backend, 'k', { limit: 2 }))).toEqual(['r1', 'r0']);
    expect(keysOf(await take(backend, 'k', { limit: 2 }))).toEqual(['r3', 'r2']);
    expect(keysOf(await take(backend, 'k', { limit: 2 }))).toEqual(['r4']);
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: h.now + 100,
      size: 0,
      lastProcessed: h.now,
    });
  });

  h.case(
    'digest.8',
    'a limit at or above the size takes everything, as without limit',
    async () => {
      const backend = await h.backend({ minimumDelay: 100 });
      for (let i = 0; i < 3; i++) await backend.add('k', record(`r${i}`, h.now + i));
      expect(keysOf(await take(backend, 'k', { limit: 3 }))).toEqual(['r2', 'r1', 'r0']);
      expect(await info(backend, 'k')).toMatchObject({
        state: 'waiting',
        score: h.now + 100,
        size: 0,
      });
    },
  );

  h.case('digest.8', 'a failed limited digest loses nothing', async () => {
    const backend = await h.backend();
    for (let i = 0; i < 4; i++) await backend.add('k', record(`r${i}`, h.now + i));
    await expect(
      backend.digest('k', () => Promise.reject(new Error('boom')), { limit: 2 }),
    ).rejects.toThrow('boom');
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 4 });
    expect(keysOf(await take(backend, 'k'))).toEqual(['r3', 'r2', 'r1', 'r0']);
  });

  h.case(
    'digest.8',
    'records added while a limited fn runs are kept for later digests',
    async () => {
      const backend = await h.backend({ minimumDelay: 0 });
      for (let i = 0; i < 3; i++) await backend.add('k', record(`r${i}`, h.now + i));
      await backend.digest(
        'k',
        async (records) => {
          expect(keysOf(records)).toEqual(['r0']);
          await backend.add('k', record('during', h.now - 100));
        },
        { limit: 1 },
      );
      expect((await backend.inspect('k')).size).toBe(3);
      expect(keysOf(await take(backend, 'k'))).toEqual(['r2', 'r1', 'during']);
    },
  );

  h.case('digest.8', 'a limit applies to the merged snapshot after a failure', async () => {
    const backend = await h.backend();
    await backend.add('k', record('old', h.now + 5));
    await failDigest(backend, 'k');
    await backend.add('k', record('older', h.now + 1));
    await backend.add('k', record('newest', h.now + 9));
    expect(keysOf(await take(backend, 'k', { limit: 2 }))).toEqual(['old', 'older']);
    expect(keysOf(await take(backend, 'k'))).toEqual(['newest']);
  });

  h.case('digest.8', 'the rest of a limited digest is not yielded by schedule again', async () => {
    const backend = await h.backend();
    for (let i = 0; i < 3; i++) await backend.add('k', record(`r${i}`, h.now + i));
    await take(backend, 'k', { limit: 1 });
    // Still ready: the caller digests it again at once, nothing to schedule.
    expect(await collect(backend.schedule(h.now + 1e9))).toEqual([]);
    expect((await backend.inspect('k')).state).toBe('ready');
  });

  h.case(
    'digest.8',
    'an invalid limit rejects ConfigurationError and changes nothing',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now));
      const before = await info(backend, 'k');
      for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2']) {
        let called = false;
        await expect(
          backend.digest(
            'k',
            () => {
              called = true;
            },
            { limit: limit as number },
          ),
        ).rejects.toBeInstanceOf(ConfigurationError);
        expect(called).toBe(false);
      }
      expect(await info(backend, 'k')).toEqual(before);
      expect(keysOf(await take(backend, 'k'))).toEqual(['a']);
    },
  );
}
