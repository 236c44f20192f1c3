import { ConfigurationError } from '@digests/core';
import { expect } from 'vitest';
import { failDigest, type Harness, info, makeWaiting, record, take } from './harness.js';

/** Contract add.7: `flushThreshold` makes a waiting key ready once it holds enough records. */
export function flushThresholdCases(h: Harness): void {
  h.case(
    'add.7',
    'the backend option: the add reaching the threshold makes the key ready now and returns true',
    async () => {
      const backend = await h.backend({ flushThreshold: 3 });
      await makeWaiting(backend, 'k', h.now + 60_000);
      h.advance(10);
      expect(await backend.add('k', record('b', h.now - 5))).toBe(false);
      expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 2 });
      expect(await backend.add('k', record('c', h.now - 5))).toBe(true);
      expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 3 });
    },
  );

  h.case('add.7', 'the per-call option overrides the backend option', async () => {
    const backend = await h.backend({ flushThreshold: 100 });
    await makeWaiting(backend, 'k', h.now + 60_000);
    expect(await backend.add('k', record('b', h.now), { flushThreshold: 2 })).toBe(true);
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 2 });
  });

  h.case('add.7', 'the count includes a left-over snapshot of a failed digest', async () => {
    const backend = await h.backend({ minimumDelay: 1_000 });
    await backend.add('k', record('a', h.now));
    await backend.add('k', record('b', h.now));
    await failDigest(backend, 'k');
    await backend.maintenance(h.now); // ready → waiting, the snapshot stays
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 2 });
    h.advance(7);
    expect(await backend.add('k', record('c', h.now), { flushThreshold: 3 })).toBe(true);
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 3 });
  });

  h.case('add.7', 'below the threshold the usual schedule rule applies', async () => {
    const backend = await h.backend({ minimumDelay: 100, incrementDelay: 30, maximumDelay: 500 });
    const L = h.now;
    await backend.add('k', record('a', L));
    await take(backend, 'k');
    expect(await backend.add('k', record('b', L), { flushThreshold: 3 })).toBe(false);
    expect(await backend.add('k', record('c', L), { flushThreshold: 3 })).toBe(false);
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: L + 160,
      size: 2,
      lastProcessed: L,
    });
  });

  h.case('add.7', 'a ready key stays as it is; an absent key is ready at once anyway', async () => {
    const backend = await h.backend({ flushThreshold: 1 });
    expect(await backend.add('k', record('a', h.now - 9))).toBe(true);
    expect(await backend.add('k', record('b', h.now))).toBe(false);
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now - 9, size: 2 });
  });

  h.case('add.7', 'with dueAt, a key that reaches the threshold is ready now', async () => {
    const backend = await h.backend();
    expect(
      await backend.add('k', record('a', h.now), { dueAt: h.now + 1e6, flushThreshold: 2 }),
    ).toBe(false);
    expect(await info(backend, 'k')).toEqual({ state: 'waiting', score: h.now + 1e6, size: 1 });
    expect(
      await backend.add('k', record('b', h.now), { dueAt: h.now + 1e6, flushThreshold: 2 }),
    ).toBe(true);
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 2 });
  });

  h.case('add.7', 'a replaced record does not count twice', async () => {
    const backend = await h.backend({ flushThreshold: 2 });
    await makeWaiting(backend, 'k', h.now + 60_000);
    expect(await backend.add('k', record('seed:k', h.now))).toBe(false);
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 1 });
  });

  h.case(
    'add.7',
    'an invalid flushThreshold rejects ConfigurationError at construction',
    async () => {
      for (const flushThreshold of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3']) {
        const error = await h
          .backend({ flushThreshold: flushThreshold as number })
          .catch((e: unknown) => e);
        expect(error, `flushThreshold ${String(flushThreshold)}`).toBeInstanceOf(
          ConfigurationError,
        );
      }
    },
  );

  h.case(
    'add.7',
    'an invalid per-call flushThreshold rejects ConfigurationError and writes nothing',
    async () => {
      const backend = await h.backend();
      await makeWaiting(backend, 'k', h.now + 60_000);
      const before = await info(backend, 'k');
      const items = await h.storedItems(backend);
      for (const flushThreshold of [0, -1, 1.5, Number.NaN, '3']) {
        await expect(
          backend.add('k', record('b', h.now), { flushThreshold: flushThreshold as number }),
        ).rejects.toBeInstanceOf(ConfigurationError);
      }
      expect(await info(backend, 'k')).toEqual(before);
      await h.expectStoredItems(backend, items);
    },
  );
}
