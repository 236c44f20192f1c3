import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseConflictError, LeaseLostError } from '@digests/core';
import { expect } from 'vitest';
import { failDigest, gate, type Harness, info, keysOf, record, take } from './harness.js';

/** SPEC digest steps 1 and 7: one digest per timeline at a time, lease expiry. */
export function leaseCases(h: Harness): void {
  h.case(
    'digest.1',
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

  h.case(
    'digest.1',
    'a lease conflict changes nothing: not the timeline, the snapshot, the score or L',
    async () => {
      const backend = await h.backend({ minimumDelay: 100 });
      await backend.add('k', record('left', h.now - 5));
      await failDigest(backend, 'k');
      await backend.add('k', record('queued', h.now - 4));
      await backend.digest('k', async (records) => {
        expect(keysOf(records)).toEqual(['queued', 'left']);
        await backend.add('k', record('during', h.now));
        const before = await info(backend, 'k');
        let innerCalled = false;
        const conflict = await backend
          .digest('k', () => {
            innerCalled = true;
          })
          .catch((e: unknown) => e);
        expect(conflict).toBeInstanceOf(LeaseConflictError);
        expect(innerCalled).toBe(false);
        expect(await info(backend, 'k')).toEqual(before);
      });
      // The outer digest removed only what it was handed; the conflict took nothing.
      expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 1 });
      await backend.flush('k');
      expect(keysOf(await take(backend, 'k'))).toEqual(['during']);
    },
  );

  h.case(
    'digest.6',
    'an empty digest does not drop a record added while fn runs (controlled interleaving)',
    async () => {
      const backend = await h.backend({ minimumDelay: 0 });
      await backend.add('k', record('a', h.now));
      await take(backend, 'k');
      for await (const _ of backend.schedule(h.now)) {
        // waiting with no records, due at once: now ready and empty
      }
      expect(await info(backend, 'k')).toMatchObject({ state: 'ready', size: 0 });
      const opened = gate();
      const release = gate();
      const digest = backend.digest('k', async (records) => {
        opened.open();
        await release.promise;
        return records.length;
      });
      await opened.promise;
      // The digest opened an empty snapshot; a producer adds before it commits.
      expect(await backend.add('k', record('late', h.now))).toBe(false);
      release.open();
      expect(await digest).toBe(0);
      expect(await info(backend, 'k')).toEqual({
        state: 'waiting',
        score: h.now,
        size: 1,
        lastProcessed: h.now,
      });
      await backend.flush('k');
      expect(keysOf(await take(backend, 'k'))).toEqual(['late']);
    },
  );

  h.case('lease.2', 'the lease is released after a success and after a failure', async () => {
    const backend = await h.backend({ minimumDelay: 0 });
    await backend.add('k', record('a', h.now));
    await failDigest(backend, 'k');
    expect(keysOf(await take(backend, 'k'))).toEqual(['a']);
    await backend.add('k', record('b', h.now));
    await backend.flush('k');
    expect(keysOf(await take(backend, 'k'))).toEqual(['b']);
  });

  h.case('lease.2', 'an expired lease that nobody took still commits', async () => {
    const backend = await h.backend({ leaseDuration: 1_000 });
    await backend.add('k', record('a', h.now));
    await backend.digest('k', () => {
      h.advance(5_000);
    });
    expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 0 });
  });

  h.case('digest.7', 'a lost lease rejects LeaseLostError and removes nothing', async () => {
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

  h.case(
    'digest.7',
    'after a lost lease, records the new holder did not take are kept',
    async () => {
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
    },
  );

  h.case(
    'maintenance.1',
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
    'lease.1',
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

  h.case(
    'lease.1',
    'a renewed lease keeps maintenance away past the first lease',
    async () => {
      const leaseDuration = 600;
      const backend = await h.backend({ leaseDuration });
      await backend.add('k', record('a', h.now));
      await backend.digest('k', async () => {
        h.advance(400);
        await sleep(leaseDuration + 200); // real time: renewals run every leaseDuration / 3
        h.advance(400); // past the first lease (600), within the renewed one (400 + 600)
        expect(await backend.maintenance(h.now + 1e9)).toBe(0);
        expect((await backend.inspect('k')).state).toBe('ready');
      });
      expect(await info(backend, 'k')).toMatchObject({ state: 'waiting', size: 0 });
    },
    20_000,
  );

  h.case(
    'lease.1',
    'renewal cannot win back a lease another digest took',
    async () => {
      const leaseDuration = 600;
      const backend = await h.backend({ leaseDuration, minimumDelay: 0 });
      await backend.add('k', record('a', h.now));
      await expect(
        backend.digest('k', async () => {
          h.advance(leaseDuration + 1);
          const taker = backend.digest('k', async () => {
            await sleep(leaseDuration / 2); // the first digest's renewal timer fires meanwhile
            throw new Error('taker fails');
          });
          await expect(taker).rejects.toThrow('taker fails');
          // The taker released; the first digest's renewals found the lease gone.
        }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      expect(await info(backend, 'k')).toMatchObject({ state: 'ready', size: 1 });
      expect(keysOf(await take(backend, 'k'))).toEqual(['a']);
    },
    20_000,
  );

  h.case('lease.3', 'delete during a digest voids its commit and keeps later records', async () => {
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
