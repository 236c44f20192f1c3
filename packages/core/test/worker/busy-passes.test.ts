import { describe, expect, it } from 'vitest';
import { FakeClock, memoryBackend, rec, recordingWorker } from './worker-harness.js';

describe('DigestWorker passes while work is pending', () => {
  it('a pass that delivered is followed at once: a key that came due during it does not wait for interval', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock, { incrementDelay: 0 });
    const start = clock.now;
    // 'a' waiting at start + 100, 'b' at start + 150 (each digested once, then one record more).
    for (const [key, at] of [
      ['a', 0],
      ['b', 50],
    ] as const) {
      clock.now = start + at;
      await backend.add(key, rec(`${key}1`, clock.now));
      await backend.digest(key, () => undefined);
      await backend.add(key, rec(`${key}2`, clock.now));
    }
    clock.now = start + 120; // 'a' due, 'b' not yet
    let deliveredB!: () => void;
    const bDelivered = new Promise<void>((resolve) => {
      deliveredB = resolve;
    });
    const delivered: string[] = [];
    const { worker } = recordingWorker(backend, clock, {
      interval: 3_600_000, // a second pass after this would time the test out
      deliver: ({ key }) => {
        delivered.push(key);
        if (key === 'a') clock.advance(100); // 'b' comes due while the first pass delivers
        if (key === 'b') deliveredB();
      },
    });
    worker.start();
    await bDelivered;
    await worker.stop();
    expect(delivered).toEqual(['a', 'b']);
    expect(worker.counters.passes).toBeGreaterThanOrEqual(2);
  });

  it('a pass whose delivery failed waits for interval (no spinning on a failing key)', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock, { incrementDelay: 0 });
    await backend.add('a', rec('a1', clock.now));
    await backend.digest('a', () => undefined);
    await backend.add('a', rec('a2', clock.now));
    clock.advance(1_000);
    let attempted!: () => void;
    const attempt = new Promise<void>((resolve) => {
      attempted = resolve;
    });
    const { worker } = recordingWorker(backend, clock, {
      interval: 3_600_000,
      maintenanceAge: 0,
      deliver: () => {
        attempted();
        throw new Error('mail server down');
      },
    });
    worker.start();
    await attempt;
    // Let the failed pass finish and the next one be scheduled (or not).
    for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    await worker.stop();
    expect(worker.counters).toMatchObject({ passes: 1, failures: 1 });
  });
});
