import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseConflictError, LeaseLostError } from '@digests/core';
import { expect } from 'vitest';
import { failDigest, type Harness, info, keysOf, record, take } from './harness.js';

/** SPEC digest steps 1 and 7: one digest per timeline at a time, lease expiry. */
export function leaseCases(h: Harness): void {
  const group = 'leases';

  h.case(
    group,
    'a second digest while one runs rejects LeaseConflictError and changes nothing',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now));
      let innerCalled = false;
      const outer = await backend.digest('k', async (records) => {
        await expect(
          backend.digest('k', () => {
            innerCalled = true;
          }),
        ).rejects.toBeInstanceOf(LeaseConflictError);
        expect(await info(backend, 'k')).toMatchObject({ state: 'ready', size: 1 });
        return keysOf(records);
      });
      expect(outer).toEqual(['a']);
      expect(innerCalled).toBe(false);
      expect((await backend.inspect('k')).size).toBe(0);
    },
  );

  h.case(group, 'the lease is released after a success and after a failure', async () => {
    const backend = await h.backend({ minimumDelay: 0 });
    await backend.add('k', record('a', h.now));
    await failDigest(backend, 'k');
    expect(keysOf(await take(backend, 'k'))).toEqual(['a']);
    await backend.add('k', record('b', h.now));
    await backend.flush('k');
    expect(keysOf(await take(backend, 'k'))).toEqual(['b']);
  });

  h.case(group, 'an expired lease that nobody took still commits', async () => {
    const backend = await h.backend({ leaseDuration: 1_000 });
    await backend.add('k', record('a', h.now));
    await backend.digest('k', () => {
      h.advance(5_000);
    });
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 0 });
  });

  h.case(group, 'a lost lease rejects LeaseLostError and removes nothing', async () => {
    const backend = await h.backend({ leaseDuration: 1_000 });
    await backend.add('k', record('a', h.now));
    await expect(
      backend.digest('k', async () => {
        h.advance(1_001);
        // The lease expired: another worker takes the timeline, and fails.
        await failDigest(backend, 'k');
      }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await info(backend, 'k')).toMatchObject({ state: 'ready', size: 1 });
    expect(keysOf(await take(backend, 'k'))).toEqual(['a']);
  });

  h.case(group, 'after a lost lease, records the new holder did not take are kept', async () => {
    const backend = await h.backend({ leaseDuration: 1_000, minimumDelay: 100 });
    await backend.add('k', record('a', h.now));
    await expect(
      backend.digest('k', async () => {
        h.advance(1_001);
        expect(keysOf(await take(backend, 'k'))).toEqual(['a']);
        await backend.add('k', record('b', h.now));
      }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 1 });
  });

  h.case(
    group,
    'maintenance skips a key whose lease is held, and rescues it once expired',
    async () => {
      const backend = await h.backend({ leaseDuration: 1_000 });
      await backend.add('k', record('a', h.now));
      await backend.digest('k', async () => {
        expect(await backend.maintenance(h.now + 1e9)).toBe(0);
        expect((await backend.inspect('k')).state).toBe('ready');
        h.advance(1_000);
        expect(await backend.maintenance(h.now + 1e9)).toBe(1);
        expect((await backend.inspect('k')).state).toBe('waiting');
      });
    },
  );

  h.case(
    group,
    'the lease is renewed while fn runs',
    async () => {
      const leaseDuration = 600;
      const backend = await h.backend({ leaseDuration });
      await backend.add('k', record('a', h.now));
      await backend.digest('k', async () => {
        h.advance(400);
        // Renewal runs on a real timer every leaseDuration / 3.
        await sleep(leaseDuration + 200);
        h.advance(400); // past the first lease, not past the renewed one
        await expect(backend.digest('k', () => undefined)).rejects.toBeInstanceOf(
          LeaseConflictError,
        );
      });
      expect((await backend.inspect('k')).size).toBe(0);
    },
    20_000,
  );

  h.case(group, 'delete during a digest voids its commit and keeps later records', async () => {
    const backend = await h.backend();
    await backend.add('k', record('a', h.now));
    await expect(
      backend.digest('k', async () => {
        await backend.delete('k');
        expect(await backend.add('k', record('b', h.now))).toBe(true);
      }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 1 });
    expect(keysOf(await take(backend, 'k'))).toEqual(['b']);
  });
}
