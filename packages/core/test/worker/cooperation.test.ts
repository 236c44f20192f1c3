import { describe, expect, it } from 'vitest';
import type { Backend, ScheduleEntry } from '../../src/index.js';
import type { Delivery } from '../../src/worker/delivery.js';
import { FakeClock, gate, memoryBackend, rec, recordingWorker } from './worker-harness.js';

describe('DigestWorker cooperation', () => {
  it('two workers on one backend never deliver a record twice', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const delivered: Delivery<string>[] = [];
    const deliver = async (delivery: Delivery<string>) => {
      // Yield so that both workers' digests interleave.
      await new Promise<void>((resolve) => setImmediate(resolve));
      delivered.push(delivery);
    };
    // chunkSize 1: each worker takes one key per step, so they interleave.
    const shared = { deliver, maintenanceAge: 0, chunkSize: 1 };
    const a = recordingWorker(backend, clock, { ...shared, concurrency: 3 });
    const b = recordingWorker(backend, clock, { ...shared, concurrency: 2 });
    const keys = Array.from({ length: 40 }, (_, i) => `mail:p:${i}`);
    for (const [i, key] of keys.entries()) {
      const worker = i % 2 === 0 ? a.worker : b.worker;
      await worker.add(key, rec(`${key}/first`, clock.now));
      for (let r = 0; r < 3; r++) await worker.add(key, rec(`${key}/r${r}`, clock.now + r));
    }
    for (let round = 0; round < 3; round++) {
      clock.advance(1_000);
      await Promise.all([a.worker.runOnce(), b.worker.runOnce(), a.worker.runOnce()]);
    }
    const recordKeys = delivered.flatMap((d) => d.records.map((r) => r.key));
    expect(recordKeys).toHaveLength(keys.length * 4);
    expect(new Set(recordKeys).size).toBe(keys.length * 4);
    const counters = [a.worker.counters, b.worker.counters];
    const sum = (name: 'recordsDelivered' | 'failures') =>
      counters.reduce((total, c) => total + c[name], 0);
    expect(sum('recordsDelivered')).toBe(keys.length * 4);
    expect(sum('failures')).toBe(0);
    // Both workers took part in the scheduled digests.
    expect(a.worker.counters.scheduled).toBeGreaterThan(0);
    expect(b.worker.counters.scheduled).toBeGreaterThan(0);
  });

  it('a digest another worker holds is a counted lease conflict, not a failure', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const held = gate();
    const other: Promise<unknown>[] = [];
    // Another process takes each key the moment our schedule yields it.
    const racing: Backend<string> = Object.assign(Object.create(backend) as typeof backend, {
      schedule: (deadline: number) => ({
        async *[Symbol.asyncIterator](): AsyncGenerator<ScheduleEntry> {
          for await (const entry of backend.schedule(deadline)) {
            other.push(backend.digest(entry.key, () => held.promise));
            yield entry;
          }
        },
      }),
      digest: backend.digest.bind(backend),
      maintenance: backend.maintenance.bind(backend),
    });
    const { worker, deliveries } = recordingWorker(racing, clock);
    await backend.add('k', rec('e1', clock.now));
    await backend.digest('k', () => undefined); // now waiting, with L known
    await backend.add('k', rec('e2', clock.now));
    clock.advance(1_000);
    expect(await worker.runOnce()).toMatchObject({ scheduled: 1, delivered: 0, failed: 0 });
    expect(worker.counters).toMatchObject({ leaseConflicts: 1, failures: 0 });
    expect(deliveries).toHaveLength(0);
    held.open();
    await Promise.all(other);
    expect(await backend.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
  });

  it('a key that is no longer ready when digested is a counted conflict too', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { worker } = recordingWorker(
      Object.assign(Object.create(backend) as typeof backend, {
        maintenance: backend.maintenance.bind(backend),
        schedule: () => ({
          async *[Symbol.asyncIterator](): AsyncGenerator<ScheduleEntry> {
            yield { key: 'gone', timestamp: clock.now };
          },
        }),
        digest: backend.digest.bind(backend),
      }),
      clock,
    );
    expect(await worker.runOnce()).toMatchObject({ scheduled: 1, failed: 0 });
    expect(worker.counters).toMatchObject({ leaseConflicts: 1, failures: 0 });
  });
});
