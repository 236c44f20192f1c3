import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { DigestWorker } from '../../src/worker/digest-worker.js';
import { DEFAULT_DIGEST_LIMIT } from '../../src/worker/digest-worker-options.js';
import { FakeClock, keysOf, memoryBackend, rec, recordingWorker } from './worker-harness.js';

describe('DigestWorker digestLimit', () => {
  it('bounds each digest and drains the rest at once, oldest first', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { worker, deliveries } = recordingWorker(backend, clock, { digestLimit: 4 });
    await worker.add('k', rec('first', clock.now));
    for (let i = 0; i < 10; i++) await worker.add('k', rec(`e${i}`, clock.now + 1 + i));
    clock.advance(1_000);
    expect(await worker.runOnce()).toMatchObject({ scheduled: 1, delivered: 1, failed: 0 });
    expect(deliveries.map((d) => d.records.length)).toEqual([1, 4, 4, 2]);
    expect(deliveries.slice(1).map(keysOf)).toEqual([
      ['e3', 'e2', 'e1', 'e0'],
      ['e7', 'e6', 'e5', 'e4'],
      ['e9', 'e8'],
    ]);
    expect(await backend.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
    expect(worker.counters).toMatchObject({ digestsDelivered: 4, recordsDelivered: 11 });
  });

  it('an exact multiple of the limit ends quietly: no conflict, no failure', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { worker, deliveries } = recordingWorker(backend, clock, { digestLimit: 3 });
    await worker.add('k', rec('first', clock.now));
    for (let i = 0; i < 6; i++) await worker.add('k', rec(`e${i}`, clock.now + 1 + i));
    clock.advance(1_000);
    await worker.runOnce();
    expect(deliveries.map((d) => d.records.length)).toEqual([1, 3, 3]);
    expect(worker.counters).toMatchObject({ leaseConflicts: 0, failures: 0 });
    expect(await backend.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
  });

  it('defaults to DEFAULT_DIGEST_LIMIT; Infinity turns the bound off', async () => {
    expect(DEFAULT_DIGEST_LIMIT).toBe(500);
    const clock = new FakeClock();
    const sizes = async (digestLimit?: number) => {
      const backend = memoryBackend(clock);
      const { worker, deliveries } = recordingWorker(
        backend,
        clock,
        digestLimit === undefined ? {} : { digestLimit },
      );
      await worker.add('k', rec('first', clock.now));
      for (let i = 0; i < 1_200; i++) await backend.add('k', rec(`e${i}`, clock.now + 1));
      clock.advance(1_000);
      await worker.runOnce();
      return deliveries.map((d) => d.records.length);
    };
    expect(await sizes()).toEqual([1, 500, 500, 200]);
    expect(await sizes(Number.POSITIVE_INFINITY)).toEqual([1, 1_200]);
    const backend = memoryBackend(clock);
    const deliver = () => undefined;
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new DigestWorker({ backend, deliver, digestLimit: bad })).toThrow(
        ConfigurationError,
      );
    }
  });
});
