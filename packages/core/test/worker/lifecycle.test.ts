import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError, InvalidStateError } from '../../src/errors.js';
import { DigestWorker } from '../../src/worker/digest-worker.js';
import { FakeClock, gate, memoryBackend, rec, recordingWorker, settle } from './worker-harness.js';

describe('DigestWorker lifecycle', () => {
  it('stop() waits for an in-flight delivery, which then commits', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const held = gate();
    const { worker } = recordingWorker(backend, clock, { deliver: () => held.promise });
    const adding = worker.add('k', rec('e1', clock.now));
    await settle();
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    expect(worker.stopping).toBe(true);
    held.open();
    await stopping;
    expect(stopped).toBe(true);
    expect(await adding).toBe(true);
    expect(worker.counters.digestsDelivered).toBe(1);
    expect(await backend.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
  });

  it('stop() waits for a running pass and its digests; no pass runs after it', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const held = gate();
    let calls = 0;
    const { worker } = recordingWorker(backend, clock, {
      deliver: async () => {
        calls++;
        if (calls > 1) await held.promise;
      },
    });
    await worker.add('k', rec('e1', clock.now));
    await worker.add('k', rec('e2', clock.now));
    clock.advance(1_000);
    const pass = worker.runOnce();
    await settle();
    expect(calls).toBe(2);
    const stopping = worker.stop();
    held.open();
    await stopping;
    expect(await pass).toMatchObject({ delivered: 1 });
    expect(await worker.runOnce()).toEqual({
      maintained: 0,
      scheduled: 0,
      delivered: 0,
      failed: 0,
    });
    await expect(worker.add('k', rec('e3', clock.now))).rejects.toBeInstanceOf(InvalidStateError);
    expect(() => worker.start()).toThrow(InvalidStateError);
  });

  it('stop({ timeout }) aborts deliveries that outlast it; their records stay', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    let aborted = false;
    const { worker } = recordingWorker(backend, clock, {
      deliver: ({ signal }) =>
        new Promise<void>((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const adding = worker.add('k', rec('e1', clock.now));
    await settle();
    await worker.stop({ timeout: 1 });
    expect(aborted).toBe(true);
    await adding;
    expect(worker.counters.failures).toBe(1);
    expect(await backend.inspect('k')).toMatchObject({ state: 'ready', size: 1 });
  });

  it('closes the backend on stop only when asked to', async () => {
    const clock = new FakeClock();
    const kept = memoryBackend(clock);
    const closed = memoryBackend(clock);
    const keptClose = vi.spyOn(kept, 'close');
    const closedClose = vi.spyOn(closed, 'close');
    await recordingWorker(kept, clock).worker.stop();
    await recordingWorker(closed, clock, { closeBackend: true }).worker.stop();
    expect(keptClose).not.toHaveBeenCalled();
    expect(closedClose).toHaveBeenCalledTimes(1);
  });

  it('start() runs a pass at once and stop() ends the loop', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { worker, deliveries } = recordingWorker(backend, clock, { interval: 3_600_000 });
    await worker.add('k', rec('e1', clock.now));
    await worker.add('k', rec('e2', clock.now));
    clock.advance(1_000);
    worker.start();
    worker.start(); // idempotent
    await worker.stop();
    expect(worker.counters.passes).toBe(1);
    expect(deliveries).toHaveLength(2);
  });

  it('counters are a plain snapshot', async () => {
    const clock = new FakeClock();
    const { worker } = recordingWorker(memoryBackend(clock), clock);
    const before = worker.counters;
    await worker.add('k', rec('e1', clock.now));
    expect(before.recordsAdded).toBe(0);
    expect(worker.counters.recordsAdded).toBe(1);
    expect(Object.getPrototypeOf(worker.counters)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(worker.counters))).toEqual(worker.counters);
  });

  it('rejects invalid options at construction', () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const deliver = () => undefined;
    for (const bad of [
      { concurrency: 0 },
      { concurrency: 1.5 },
      { interval: 0 },
      { interval: Number.NaN },
      { maintenanceAge: -1 },
      { mode: 'exactly-once' as never },
    ]) {
      expect(() => new DigestWorker({ backend, deliver, ...bad })).toThrow(ConfigurationError);
    }
    expect(() => new DigestWorker({ backend, deliver: 1 as never })).toThrow(ConfigurationError);
  });
});
