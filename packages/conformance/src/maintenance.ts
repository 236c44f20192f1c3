import { expect } from 'vitest';
import { collect, type Harness, info, keysOf, makeWaiting, record, take } from './harness.js';

/** SPEC "maintenance": rescue stuck ready keys; with ttl, discard old data. */
export function maintenanceCases(h: Harness): void {
  h.case(
    'maintenance.1',
    'moves ready keys with score ≤ deadline back to waiting and counts them',
    async () => {
      const backend = await h.backend();
      const t = h.now;
      await backend.add('a', record('r', t + 100));
      await backend.add('b', record('r', t + 200));
      await backend.add('c', record('r', t + 300));
      expect(await backend.maintenance(t + 200)).toBe(2);
      expect(await info(backend, 'a')).toEqual({ state: 'waiting', score: t + 100, size: 1 });
      expect(await info(backend, 'b')).toEqual({ state: 'waiting', score: t + 200, size: 1 });
      expect(await info(backend, 'c')).toEqual({ state: 'ready', score: t + 300, size: 1 });
    },
  );

  h.case('maintenance.1', 'leaves waiting keys alone', async () => {
    const backend = await h.backend();
    await makeWaiting(backend, 'w', h.now);
    expect(await backend.maintenance(h.now + 1e9)).toBe(0);
    expect(await info(backend, 'w')).toMatchObject({ state: 'waiting', score: h.now });
  });

  h.case('maintenance.1', 'a rescued key is scheduled and digested again', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    // A worker took the schedule entry and died before digesting.
    expect(await backend.maintenance(h.now)).toBe(1);
    expect(keysOf(await collect(backend.schedule(h.now)))).toEqual(['k']);
    expect(keysOf(await take(backend, 'k'))).toEqual(['a']);
  });

  h.case('maintenance.1', 'a failed digest left in ready is rescued with its records', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    await backend.digest('k', () => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(await backend.maintenance(h.now)).toBe(1);
    expect(await info(backend, 'k')).toEqual({ state: 'waiting', score: h.now, size: 1 });
  });

  h.case('maintenance.2', 'with ttl, timelines untouched that long are discarded', async () => {
    const backend = await h.backend({ maximumDelay: 1_000, ttl: 5_000 });
    await backend.add('old', record('a', h.now));
    h.advance(3_000);
    await backend.add('fresh', record('b', h.now));
    h.advance(2_500);
    await backend.maintenance(h.now - 1e9);
    expect(await info(backend, 'old')).toEqual({ state: 'absent', size: 0 });
    expect(await info(backend, 'fresh')).toEqual({ state: 'ready', score: h.now - 2_500, size: 1 });
  });

  h.case('maintenance.2', 'without ttl, nothing is ever discarded', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    h.advance(1e10);
    await backend.maintenance(h.now);
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 1 });
  });
}
