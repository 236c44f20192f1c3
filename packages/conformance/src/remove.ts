import { ConfigurationError, InvalidKeyError } from '@digests/core';
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

/** Contract remove.1–3: cancel named pending records. */
export function removeCases(h: Harness): void {
  h.case(
    'remove.1',
    'removes the named records from the timeline and returns the count',
    async () => {
      const backend = await h.backend();
      for (const key of ['a', 'b', 'c']) await backend.add('k', record(key, h.now));
      expect(await backend.remove('k', ['b', 'missing'])).toBe(1);
      expect((await backend.inspect('k')).size).toBe(2);
      expect(keysOf(await take(backend, 'k'))).toEqual(['c', 'a']);
    },
  );

  h.case('remove.1', 'removes from a left-over snapshot of a failed digest too', async () => {
    const backend = await h.backend();
    await backend.add('k', record('old', h.now - 1));
    await backend.add('k', record('keep', h.now - 2));
    await failDigest(backend, 'k');
    await backend.add('k', record('new', h.now));
    expect(await backend.remove('k', ['old', 'new'])).toBe(2);
    expect(keysOf(await take(backend, 'k'))).toEqual(['keep']);
  });

  h.case('remove.1', 'an absent key, no names or unknown names remove nothing', async () => {
    const backend = await h.backend();
    expect(await backend.remove('absent', ['a'])).toBe(0);
    await backend.add('k', record('a', h.now));
    expect(await backend.remove('k', [])).toBe(0);
    expect(await backend.remove('k', ['x', 'y'])).toBe(0);
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 1 });
    expect(await info(backend, 'absent')).toEqual({ state: 'absent', size: 0 });
  });

  h.case('remove.1', 'a name given twice counts once', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    await backend.add('k', record('b', h.now));
    expect(await backend.remove('k', ['a', 'a'])).toBe(1);
    expect((await backend.inspect('k')).size).toBe(1);
  });

  h.case(
    'remove.1',
    'bad keys reject InvalidKeyError (or ConfigurationError) and change nothing',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now));
      const items = await h.storedItems(backend);
      await expect(backend.remove('', ['a'])).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(backend.remove('k', [''])).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(backend.remove('k', ['a', 'x'.repeat(1025)])).rejects.toBeInstanceOf(
        InvalidKeyError,
      );
      await expect(backend.remove('k', 'a' as unknown as string[])).rejects.toBeInstanceOf(
        ConfigurationError,
      );
      expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 1 });
      await h.expectStoredItems(backend, items);
    },
  );

  h.case('remove.2', 'records a running digest holds are not touched; new ones are', async () => {
    const backend = await h.backend({ minimumDelay: 100 });
    await backend.add('k', record('held', h.now));
    await backend.digest('k', async (records) => {
      expect(keysOf(records)).toEqual(['held']);
      await backend.add('k', record('later', h.now));
      await backend.add('k', record('also', h.now));
      expect(await backend.remove('k', ['held', 'later'])).toBe(1);
    });
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: h.now + 100,
      size: 1,
      lastProcessed: h.now,
    });
    await backend.flush('k');
    expect(keysOf(await take(backend, 'k'))).toEqual(['also']);
  });

  h.case('remove.2', 'a snapshot whose lease expired is a left-over snapshot again', async () => {
    const backend = await h.backend({ leaseDuration: 1_000 });
    await backend.add('k', record('a', h.now));
    await expect(
      backend.digest('k', async () => {
        h.advance(1_001);
        expect(await backend.remove('k', ['a'])).toBe(1);
        // The lease expired, nobody took it: the commit still counts as ours.
      }),
    ).resolves.toBeUndefined();
    expect(await info(backend, 'k')).toMatchObject({ size: 0 });
  });

  h.case('remove.3', 'the schedule is unchanged, even when the timeline empties', async () => {
    const backend = await h.backend();
    await makeWaiting(backend, 'w', h.now + 5_000);
    expect(await backend.remove('w', ['seed:w'])).toBe(1);
    expect(await info(backend, 'w')).toEqual({ state: 'waiting', score: h.now + 5_000, size: 0 });
    await backend.add('r', record('a', h.now - 3));
    expect(await backend.remove('r', ['a'])).toBe(1);
    expect(await info(backend, 'r')).toEqual({ state: 'ready', score: h.now - 3, size: 0 });
  });

  h.case('remove.3', 'an emptied waiting key is digested empty and becomes absent', async () => {
    const backend = await h.backend();
    await makeWaiting(backend, 'w', h.now + 5_000);
    await backend.remove('w', ['seed:w']);
    h.advance(5_000);
    expect(await collect(backend.schedule(h.now))).toEqual([{ key: 'w', timestamp: h.now }]);
    expect(await take(backend, 'w')).toEqual([]);
    expect(await info(backend, 'w')).toEqual({ state: 'absent', size: 0 });
    await h.expectStoresNothing(backend);
  });

  h.case(
    'remove.3',
    'remove keeps last-processed; the next add follows the backoff rule',
    async () => {
      const backend = await h.backend({ minimumDelay: 100, incrementDelay: 30, maximumDelay: 500 });
      const L = h.now;
      await backend.add('k', record('a', L));
      await take(backend, 'k');
      await backend.add('k', record('b', L));
      expect(await backend.remove('k', ['b'])).toBe(1);
      expect(await info(backend, 'k')).toEqual({
        state: 'waiting',
        score: L + 130,
        size: 0,
        lastProcessed: L,
      });
      await backend.add('k', record('c', L));
      expect((await backend.inspect('k')).score).toBe(L + 160);
    },
  );
}
