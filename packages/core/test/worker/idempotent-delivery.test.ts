import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/worker/delivery.js';
import { digestIdOf } from '../../src/worker/digest-id.js';
import {
  FakeClock,
  gate,
  keysOf,
  memoryBackend,
  rec,
  recordingWorker,
  settle,
} from './worker-harness.js';

describe('DigestWorker idempotent delivery: the digest id', () => {
  it('is the same when a failed delivery is retried with the same snapshot', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const attempts: Delivery<string>[] = [];
    const { worker } = recordingWorker(backend, clock, {
      maintenanceAge: 0,
      deliver: (delivery) => {
        attempts.push(delivery);
        if (attempts.length === 1) throw new Error('SMTP 451');
      },
    });
    await worker.add('k', rec('e1', clock.now));
    await worker.runOnce();
    expect(attempts.map(keysOf)).toEqual([['e1'], ['e1']]);
    expect(attempts[1]?.digestId).toBe(attempts[0]?.digestId);
    expect(await backend.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
  });

  it('is the same when another worker takes over an expired lease and delivers the snapshot again', async () => {
    const clock = new FakeClock();
    // Renewal runs on real timers every leaseDuration / 3: make that far off,
    // so only the driven clock expires the lease.
    const leaseDuration = 600_000;
    const backend = memoryBackend(clock, { leaseDuration });
    const held = gate();
    const aIds: string[] = [];
    const a = recordingWorker(backend, clock, {
      deliver: ({ digestId }) => {
        aIds.push(digestId);
        return held.promise;
      },
    });
    const b = recordingWorker(backend, clock, { maintenanceAge: 0 });
    const [t1, t2] = [clock.now, clock.now + 1];
    await backend.add('k', rec('e1', t1));
    await backend.digest('k', () => undefined);
    await backend.add('k', rec('e2', t1));
    await backend.add('k', rec('e3', t2));
    clock.advance(1_000);

    const aPass = a.worker.runOnce();
    await settle();
    expect(await backend.inspect('k')).toMatchObject({ state: 'ready' });

    // A's lease expires while it delivers; B's maintenance and schedule take the key over.
    clock.advance(leaseDuration + 1);
    expect(await b.worker.runOnce()).toMatchObject({ maintained: 1, scheduled: 1, delivered: 1 });
    expect(keysOf(b.deliveries[0])).toEqual(['e3', 'e2']);
    const expected = digestIdOf('k', [rec('e3', t2), rec('e2', t1)]);
    expect(b.deliveries[0]?.digestId).toBe(expected);
    expect(aIds).toEqual([expected]);

    // A finishes late: same snapshot, same id; its commit finds the lease gone.
    held.open();
    expect(await aPass).toMatchObject({ delivered: 0 });
    expect(a.worker.counters).toMatchObject({ leasesLost: 1, digestsDelivered: 0 });
    expect(await backend.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
  });
});
