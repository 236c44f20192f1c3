import { expect } from 'vitest';
import { type Harness, info, makeWaiting, record, take } from './harness.js';

/** SPEC "add": the return value and the three schedule formulas. */
export function addScheduleCases(h: Harness): void {
  h.case(
    'add.1',
    'the first add returns true and makes the key ready at the record timestamp',
    async () => {
      const backend = await h.backend();
      const t = h.now - 500;
      expect(await backend.add('mail:p:1', record('a', t))).toBe(true);
      expect(await info(backend, 'mail:p:1')).toEqual({ state: 'ready', score: t, size: 1 });
      expect(await backend.add('mail:p:1', record('b', t + 10))).toBe(false);
      expect(await info(backend, 'mail:p:1')).toEqual({ state: 'ready', score: t, size: 2 });
    },
  );

  h.case(
    'add.2',
    'adding to a ready key leaves its score alone, even for an older record',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now));
      expect(await backend.add('k', record('b', h.now - 10_000))).toBe(false);
      expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 2 });
    },
  );

  h.case('record.1', 'a record whose key exists replaces its value and timestamp', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now, { v: 1 }));
    await backend.add('k', record('a', h.now + 5, { v: 2 }));
    expect((await backend.inspect('k')).size).toBe(1);
    expect(await take(backend, 'k')).toEqual([record('a', h.now + 5, { v: 2 })]);
  });

  h.case('add.3', 'waiting with last-processed unknown: the score becomes min(S, t)', async () => {
    const backend = await h.backend();
    await makeWaiting(backend, 'k', h.now);
    expect(await backend.add('k', record('later', h.now + 5_000))).toBe(false);
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', score: h.now });
    expect(await backend.add('k', record('earlier', h.now - 3_000))).toBe(false);
    expect(await info(backend, 'k')).toEqual({ state: 'waiting', score: h.now - 3_000, size: 3 });
  });

  h.case(
    'add.4',
    'waiting after a digest: the score becomes min(S + incrementDelay, L + maximumDelay)',
    async () => {
      const backend = await h.backend({ minimumDelay: 100, incrementDelay: 30, maximumDelay: 200 });
      const L = h.now;
      await backend.add('k', record('a', L));
      await take(backend, 'k');
      expect(await info(backend, 'k')).toEqual({
        state: 'waiting',
        score: L + 100,
        size: 0,
        lastProcessed: L,
      });
      const expected = [L + 130, L + 160, L + 190, L + 200, L + 200];
      for (const [i, score] of expected.entries()) {
        h.advance(1);
        expect(await backend.add('k', record(`r${i}`, h.now))).toBe(false);
        expect(await info(backend, 'k')).toEqual({
          state: 'waiting',
          score,
          size: i + 1,
          lastProcessed: L,
        });
      }
    },
  );

  h.case(
    'add.5',
    'per-call incrementDelay and maximumDelay override the backend options',
    async () => {
      const backend = await h.backend({ minimumDelay: 100, incrementDelay: 30, maximumDelay: 200 });
      const L = h.now;
      await backend.add('k', record('a', L));
      await take(backend, 'k');
      await backend.add('k', record('b', L + 1), { incrementDelay: 5 });
      expect((await backend.inspect('k')).score).toBe(L + 105);
      await backend.add('k', record('c', L + 2), { maximumDelay: 50 });
      expect((await backend.inspect('k')).score).toBe(L + 50);
    },
  );

  h.case(
    'add.1',
    'the schedule uses the record timestamp, not the clock, for a new key',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', 42.5));
      expect(await info(backend, 'k')).toEqual({ state: 'ready', score: 42.5, size: 1 });
    },
  );
}
