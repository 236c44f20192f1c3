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

/** SPEC "flush · delete · inspect". */
export function inspectFlushDeleteCases(h: Harness): void {
  h.case('inspect.1', 'inspect of an unknown key is absent with size 0', async () => {
    const backend = await h.backend();
    expect(await info(backend, 'nothing')).toEqual({ state: 'absent', size: 0 });
    await h.expectStoresNothing(backend);
  });

  h.case('inspect.1', 'size counts the timeline plus a left-over snapshot', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    await backend.add('k', record('b', h.now));
    await failDigest(backend, 'k');
    await backend.add('k', record('c', h.now));
    expect((await backend.inspect('k')).size).toBe(3);
  });

  h.case('flush.1', 'flush makes a waiting key ready now', async () => {
    const backend = await h.backend();
    await makeWaiting(backend, 'k', h.now + 10_000);
    h.advance(5);
    await backend.flush('k');
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 1 });
    expect(await collect(backend.schedule(h.now + 1e9))).toEqual([]);
    expect((await take(backend, 'k')).length).toBe(1);
  });

  h.case('flush.1', 'flush of a ready or absent key changes nothing', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now - 7));
    await backend.flush('k');
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now - 7, size: 1 });
    await backend.flush('absent');
    expect(await info(backend, 'absent')).toEqual({ state: 'absent', size: 0 });
  });

  h.case(
    'delete.1',
    'delete removes the timeline, its snapshot, last-processed and schedule',
    async () => {
      const backend = await h.backend({ minimumDelay: 0, incrementDelay: 0 });
      await backend.add('k', record('a', h.now));
      await take(backend, 'k');
      await backend.add('k', record('b', h.now));
      await collect(backend.schedule(h.now));
      await failDigest(backend, 'k');
      await backend.add('k', record('c', h.now));
      await backend.delete('k');
      expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
      await h.expectStoresNothing(backend);
      expect(await backend.add('k', record('d', h.now))).toBe(true);
      expect(keysOf(await take(backend, 'k'))).toEqual(['d']);
    },
  );

  h.case(
    'delete.1',
    'delete touches only its own key; deleting an absent key is a no-op',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now));
      await backend.add('k:1', record('b', h.now));
      await backend.delete('k:');
      await backend.delete('k');
      expect(await info(backend, 'k:1')).toEqual({ state: 'ready', score: h.now, size: 1 });
    },
  );
}
