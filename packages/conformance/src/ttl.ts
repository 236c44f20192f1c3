import { expect } from 'vitest';
import { failDigest, type Harness, info, makeWaiting, record, take } from './harness.js';

const TTL = 5_000;
const OPTIONS = { maximumDelay: 1_000, ttl: TTL, minimumDelay: 100 } as const;

/**
 * Contract maintenance.2: with `ttl`, `maintenance` discards keys untouched
 * for `ttl`. A touch is an add, the opening of a digest and its commit; a
 * key whose lease is held is never discarded.
 */
export function ttlCases(h: Harness): void {
  h.case('maintenance.2', 'a key touched just now, or ttl − 1 ms ago, is kept', async () => {
    const backend = await h.backend(OPTIONS);
    await backend.add('old', record('a', h.now));
    h.advance(TTL - 1);
    await backend.add('new', record('a', h.now));
    await backend.maintenance(h.now - 1e9);
    expect(await info(backend, 'new')).toMatchObject({ state: 'ready', size: 1 });
    expect(await info(backend, 'old')).toMatchObject({ state: 'ready', size: 1 });
    h.advance(2);
    await backend.maintenance(h.now - 1e9);
    expect(await info(backend, 'old')).toEqual({ state: 'absent', size: 0 });
    expect(await info(backend, 'new')).toMatchObject({ state: 'ready', size: 1 });
  });

  h.case('maintenance.2', 'waiting keys expire too, with their last-processed time', async () => {
    const backend = await h.backend(OPTIONS);
    await backend.add('digested', record('a', h.now));
    await take(backend, 'digested');
    await backend.add('digested', record('b', h.now));
    await makeWaiting(backend, 'never', h.now);
    expect(await info(backend, 'digested')).toMatchObject({ state: 'waiting', size: 1 });
    h.advance(TTL + 1);
    await backend.maintenance(h.now - 1e9);
    expect(await info(backend, 'digested')).toEqual({ state: 'absent', size: 0 });
    expect(await info(backend, 'never')).toEqual({ state: 'absent', size: 0 });
    await h.expectStoresNothing(backend);
  });

  h.case('maintenance.2', 'a key whose lease is held is never discarded', async () => {
    const backend = await h.backend({ ...OPTIONS, leaseDuration: 60_000 });
    await backend.add('k', record('a', h.now));
    await backend.digest('k', async () => {
      h.advance(TTL * 3);
      await backend.maintenance(h.now - 1e9);
      expect(await info(backend, 'k')).toMatchObject({ state: 'ready', size: 1 });
    });
    expect(await info(backend, 'k')).toMatchObject({
      state: 'waiting',
      size: 0,
      lastProcessed: h.now,
    });
  });

  h.case('maintenance.2', 'a successful digest is a touch', async () => {
    const backend = await h.backend(OPTIONS);
    await backend.add('k', record('a', h.now));
    h.advance(TTL - 1_000);
    await take(backend, 'k');
    const L = h.now;
    h.advance(2_000); // ttl + 1 s after the add, 2 s after the digest
    await backend.maintenance(h.now - 1e9);
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: L + 100,
      size: 0,
      lastProcessed: L,
    });
  });

  h.case('maintenance.2', 'opening a digest is a touch, even when fn fails', async () => {
    const backend = await h.backend(OPTIONS);
    await backend.add('k', record('a', h.now));
    h.advance(TTL - 1_000);
    await failDigest(backend, 'k');
    h.advance(2_000);
    await backend.maintenance(h.now - 1e9);
    expect(await info(backend, 'k')).toMatchObject({ size: 1 });
  });

  h.case('maintenance.2', 'the commit of a long digest is a touch', async () => {
    const backend = await h.backend({ ...OPTIONS, leaseDuration: 60_000 });
    await backend.add('k', record('a', h.now));
    await backend.add('k', record('b', h.now));
    await backend.digest('k', () => {
      h.advance(TTL - 1_000); // opened at t, committed at t + ttl − 1 s
    });
    await backend.add('other', record('x', h.now));
    h.advance(2_000);
    await backend.maintenance(h.now - 1e9);
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 0 });
  });

  h.case('delete.1', 'with ttl, delete and an empty digest leave nothing behind', async () => {
    const backend = await h.backend(OPTIONS);
    await backend.add('deleted', record('a', h.now));
    await backend.delete('deleted');
    await h.expectStoresNothing(backend);
    await backend.add('emptied', record('a', h.now));
    await backend.remove('emptied', ['a']);
    expect(await take(backend, 'emptied')).toEqual([]);
    expect(await info(backend, 'emptied')).toEqual({ state: 'absent', size: 0 });
    await h.expectStoresNothing(backend);
  });
}
