import { addMany, ConfigurationError } from '@digests/core';
import { expect } from 'vitest';
import { type Harness, info, makeWaiting, record, take } from './harness.js';

/** Contract add.6: `dueAt` replaces the backoff rule for one add. */
export function dueAtCases(h: Harness): void {
  h.case('add.6', 'dueAt on an absent key: waiting at dueAt, returns false', async () => {
    const backend = await h.backend();
    const dueAt = h.now + 3_600_000;
    expect(await backend.add('k', record('a', h.now), { dueAt })).toBe(false);
    expect(await info(backend, 'k')).toEqual({ state: 'waiting', score: dueAt, size: 1 });
  });

  h.case(
    'add.6',
    'dueAt at or before now on an absent key: ready at once, returns true',
    async () => {
      const backend = await h.backend();
      expect(await backend.add('now', record('a', h.now), { dueAt: h.now })).toBe(true);
      expect(await info(backend, 'now')).toEqual({ state: 'ready', score: h.now, size: 1 });
      expect(await backend.add('past', record('a', h.now), { dueAt: h.now - 500 })).toBe(true);
      expect(await info(backend, 'past')).toMatchObject({ state: 'ready', size: 1 });
    },
  );

  h.case('add.6', 'dueAt on a waiting key: the score becomes min(S, dueAt)', async () => {
    const backend = await h.backend();
    await makeWaiting(backend, 'k', h.now + 1_000);
    expect(await backend.add('k', record('later', h.now), { dueAt: h.now + 5_000 })).toBe(false);
    expect(await info(backend, 'k')).toEqual({ state: 'waiting', score: h.now + 1_000, size: 2 });
    expect(await backend.add('k', record('earlier', h.now), { dueAt: h.now + 200 })).toBe(false);
    expect(await info(backend, 'k')).toEqual({ state: 'waiting', score: h.now + 200, size: 3 });
  });

  h.case('add.6', 'dueAt ignores the backoff: no incrementDelay, no maximumDelay cap', async () => {
    const backend = await h.backend({ minimumDelay: 100, incrementDelay: 30, maximumDelay: 200 });
    const L = h.now;
    await backend.add('k', record('a', L));
    await take(backend, 'k');
    // Backoff would give min(L + 100 + 30, L + 200); dueAt keeps min(S, dueAt).
    expect(await backend.add('k', record('b', L), { dueAt: L + 10_000 })).toBe(false);
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: L + 100,
      size: 1,
      lastProcessed: L,
    });
    expect(await backend.add('k', record('c', L), { dueAt: L + 50 })).toBe(false);
    expect((await backend.inspect('k')).score).toBe(L + 50);
  });

  h.case('add.6', 'dueAt on a ready key leaves the schedule unchanged', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now - 7));
    expect(await backend.add('k', record('b', h.now), { dueAt: h.now + 1e6 })).toBe(false);
    expect(await backend.add('k', record('c', h.now), { dueAt: h.now - 1e6 })).toBe(false);
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now - 7, size: 3 });
  });

  h.case('add.6', 'a key waiting for its dueAt is scheduled at dueAt, not before', async () => {
    const backend = await h.backend();
    const dueAt = h.now + 60_000;
    await backend.add('k', record('a', h.now), { dueAt });
    const early: string[] = [];
    for await (const entry of backend.schedule(dueAt - 1)) early.push(entry.key);
    expect(early).toEqual([]);
    const due: unknown[] = [];
    for await (const entry of backend.schedule(dueAt)) due.push(entry);
    expect(due).toEqual([{ key: 'k', timestamp: dueAt }]);
  });

  h.case('add.6', 'an invalid dueAt rejects ConfigurationError and writes nothing', async () => {
    const backend = await h.backend();
    const items = await h.storedItems(backend);
    for (const dueAt of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      '1',
      null,
    ]) {
      await expect(
        backend.add('k', record('a', h.now), { dueAt: dueAt as number }),
      ).rejects.toBeInstanceOf(ConfigurationError);
      await expect(
        addMany(backend, [{ key: 'k', record: record('a', h.now) }], { dueAt: dueAt as number }),
      ).rejects.toBeInstanceOf(ConfigurationError);
    }
    expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
    await h.expectStoredItems(backend, items);
  });
}
