import { describe, expect, it } from 'vitest';
import { timelineOf } from '../../src/timeline/timeline-errors.js';
import type { Delivery } from '../../src/worker/delivery.js';
import type { WorkerLogger } from '../../src/worker/worker-logger.js';
import { FakeClock, keysOf, memoryBackend, rec, recordingWorker } from './worker-harness.js';

function capturingLogger() {
  const errors: { message: string; context?: Readonly<Record<string, unknown>> }[] = [];
  const warnings: { message: string; context?: Readonly<Record<string, unknown>> }[] = [];
  const logger: WorkerLogger = {
    warn: (message, context) => warnings.push({ message, ...(context ? { context } : {}) }),
    error: (message, context) => errors.push({ message, ...(context ? { context } : {}) }),
  };
  return { logger, errors, warnings };
}

describe('DigestWorker failures', () => {
  it('a failed delivery keeps the records and redelivers them with the same digest id', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const attempts: Delivery<string>[] = [];
    let failing = true;
    const { logger, errors } = capturingLogger();
    const { worker } = recordingWorker(backend, clock, {
      logger,
      maintenanceAge: 500,
      deliver: (delivery) => {
        attempts.push(delivery);
        if (failing) throw new Error('SMTP 451');
      },
    });
    expect(await worker.add('k', rec('e1', clock.now))).toBe(true);
    expect(attempts).toHaveLength(1);
    expect(worker.counters).toMatchObject({ failures: 1, digestsDelivered: 0 });
    expect(await backend.inspect('k')).toMatchObject({ state: 'ready', size: 1 });

    // Not retried before maintenanceAge has passed…
    clock.advance(499);
    expect(await worker.runOnce()).toMatchObject({ maintained: 0, scheduled: 0 });
    expect(attempts).toHaveLength(1);
    // …then maintenance puts it back in the schedule and the pass retries it.
    clock.advance(1);
    expect(await worker.runOnce()).toMatchObject({ maintained: 1, scheduled: 1, failed: 1 });
    expect(attempts).toHaveLength(2);
    expect(attempts[1]?.digestId).toBe(attempts[0]?.digestId);

    failing = false;
    clock.advance(500);
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(attempts).toHaveLength(3);
    expect(keysOf(attempts[2])).toEqual(['e1']);
    expect(attempts[2]?.digestId).toBe(attempts[0]?.digestId);
    expect(worker.counters).toMatchObject({
      failures: 2,
      digestsDelivered: 1,
      recordsDelivered: 1,
    });
    expect(await backend.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
    expect(errors).toHaveLength(2);
  });

  it('a record added after a failure joins the retry, which gets a new digest id', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const attempts: Delivery<string>[] = [];
    const { worker } = recordingWorker(backend, clock, {
      maintenanceAge: 0,
      deliver: (delivery) => {
        attempts.push(delivery);
        if (attempts.length === 1) throw new Error('down');
      },
    });
    await worker.add('k', rec('e1', clock.now));
    clock.advance(1);
    await worker.add('k', rec('e2', clock.now));
    await worker.runOnce();
    expect(attempts.map(keysOf)).toEqual([['e1'], ['e2', 'e1']]);
    expect(attempts[1]?.digestId).not.toBe(attempts[0]?.digestId);
  });

  it("a failed digest's error carries its timeline, with the failed delivery in it", async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { logger, errors } = capturingLogger();
    const failure = new Error('SMTP 451');
    const { worker } = recordingWorker(backend, clock, {
      logger,
      deliver: () => {
        throw failure;
      },
    });
    await worker.add('mail:p:1', rec('e1', clock.now));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.context?.error).toBe(failure);
    const timeline = timelineOf(failure);
    expect(timeline).toBeDefined();
    const actions = timeline?.actions ?? [];
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ category: 'deliver', detail: 'mail:p:1', error: failure });
    expect(String(errors[0]?.context?.timeline)).toContain('deliver mail:p:1 ✗ Error: SMTP 451');
  });

  it('a pass whose store is unreachable is counted and logged, never thrown', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { logger, warnings } = capturingLogger();
    const broken = Object.assign(Object.create(backend) as typeof backend, {
      maintenance: async () => {
        throw new Error('ECONNREFUSED');
      },
      schedule: () => ({
        // biome-ignore lint/correctness/useYield: fails before yielding anything
        async *[Symbol.asyncIterator]() {
          throw new Error('ECONNREFUSED');
        },
      }),
    });
    const { worker } = recordingWorker(broken, clock, { logger });
    expect(await worker.runOnce()).toEqual({
      maintained: 0,
      scheduled: 0,
      delivered: 0,
      failed: 0,
    });
    expect(worker.counters).toMatchObject({ passes: 1, passFailures: 2 });
    expect(warnings.map((w) => w.message)).toEqual(['maintenance failed', 'schedule failed']);
  });

  describe('at-most-once mode', () => {
    it('delivers after the commit', async () => {
      const clock = new FakeClock();
      const backend = memoryBackend(clock);
      const sizesSeen: number[] = [];
      const { worker } = recordingWorker(backend, clock, {
        mode: 'at-most-once',
        deliver: async ({ key }) => {
          sizesSeen.push((await backend.inspect(key)).size);
        },
      });
      await worker.add('k', rec('e1', clock.now));
      expect(sizesSeen).toEqual([0]);
      expect(worker.counters).toMatchObject({ digestsDelivered: 1, recordsDelivered: 1 });
    });

    it('a failed delivery loses its records and is never retried', async () => {
      const clock = new FakeClock();
      const backend = memoryBackend(clock);
      const { logger, errors } = capturingLogger();
      let calls = 0;
      const { worker } = recordingWorker(backend, clock, {
        mode: 'at-most-once',
        logger,
        maintenanceAge: 0,
        deliver: () => {
          calls++;
          throw new Error('down');
        },
      });
      await worker.add('k', rec('e1', clock.now));
      expect(await backend.inspect('k')).toMatchObject({ state: 'waiting', size: 0 });
      clock.advance(10_000);
      await worker.runOnce();
      expect(calls).toBe(1);
      expect(worker.counters).toMatchObject({ failures: 1, emptyDigests: 1 });
      expect(errors[0]?.message).toContain('lost');
    });

    it('does not deliver empty digests either', async () => {
      const clock = new FakeClock();
      const backend = memoryBackend(clock);
      const { worker, deliveries } = recordingWorker(backend, clock, { mode: 'at-most-once' });
      await worker.add('k', rec('e1', clock.now));
      clock.advance(1_000);
      await worker.runOnce();
      expect(deliveries).toHaveLength(1);
      expect(worker.counters.emptyDigests).toBe(1);
    });
  });
});
