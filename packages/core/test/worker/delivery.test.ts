import { describe, expect, it } from 'vitest';
import { digestIdOf } from '../../src/worker/digest-id.js';
import {
  DELAYS,
  FakeClock,
  keysOf,
  memoryBackend,
  rec,
  recordingWorker,
} from './worker-harness.js';

describe('DigestWorker delivery', () => {
  it('delivers the first event at once, with a digest id derived from the snapshot', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { worker, deliveries } = recordingWorker(backend, clock);
    expect(await worker.add('mail:p:1', rec('e1', clock.now))).toBe(true);
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(delivery?.key).toBe('mail:p:1');
    expect(keysOf(delivery)).toEqual(['e1']);
    expect(delivery?.records[0]?.value).toBe('value of e1');
    expect(delivery?.digestId).toBe(digestIdOf('mail:p:1', [rec('e1', clock.now)]));
    expect(delivery?.digestId).toMatch(/^[0-9a-f]{32}$/);
    expect(await backend.inspect('mail:p:1')).toMatchObject({
      state: 'waiting',
      score: clock.now + DELAYS.minimumDelay,
      size: 0,
    });
    expect(worker.counters).toMatchObject({
      recordsAdded: 1,
      immediateDigests: 1,
      digestsDelivered: 1,
      recordsDelivered: 1,
    });
  });

  it('batches the events of one window into one digest, newest first', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { worker, deliveries } = recordingWorker(backend, clock);
    await worker.add('k', rec('e1', clock.now));
    clock.advance(10);
    expect(await worker.add('k', rec('e2', clock.now))).toBe(false);
    clock.advance(10);
    expect(await worker.add('k', rec('e3', clock.now))).toBe(false);
    expect(await worker.runOnce()).toMatchObject({ scheduled: 0, delivered: 0 });
    expect(deliveries).toHaveLength(1);

    // Due at L + minimumDelay + 2 × incrementDelay = EPOCH + 140.
    clock.now = 1_700_000_000_000 + 139;
    await worker.runOnce();
    expect(deliveries).toHaveLength(1);
    clock.advance(1);
    expect(await worker.runOnce()).toMatchObject({ scheduled: 1, delivered: 1, failed: 0 });
    expect(deliveries).toHaveLength(2);
    expect(keysOf(deliveries[1])).toEqual(['e3', 'e2']);
    expect(worker.counters).toMatchObject({ digestsDelivered: 2, recordsDelivered: 3 });
  });

  it('backs off: each event pushes delivery back, never past maximumDelay', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { worker, deliveries } = recordingWorker(backend, clock);
    const start = clock.now;
    await worker.add('k', rec('first', clock.now));
    for (let i = 0; i < 30; i++) {
      clock.advance(5);
      await worker.add('k', rec(`e${i}`, clock.now));
    }
    // 100 + 30 × 20 = 700 > maximumDelay: capped at L + 400.
    expect((await backend.inspect('k')).score).toBe(start + DELAYS.maximumDelay);
    clock.now = start + DELAYS.maximumDelay - 1;
    await worker.runOnce();
    expect(deliveries).toHaveLength(1);
    clock.advance(1);
    await worker.runOnce();
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]?.records).toHaveLength(30);
  });

  it('commits an empty digest without delivering it; the key becomes absent', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { worker, deliveries } = recordingWorker(backend, clock);
    await worker.add('k', rec('e1', clock.now));
    clock.advance(DELAYS.minimumDelay);
    expect(await worker.runOnce()).toMatchObject({ scheduled: 1, delivered: 0 });
    expect(deliveries).toHaveLength(1);
    expect(worker.counters).toMatchObject({ emptyDigests: 1, digestsDelivered: 1 });
    expect(await backend.inspect('k')).toMatchObject({ state: 'absent', size: 0 });
    // The next event is a first event again.
    expect(await worker.add('k', rec('e2', clock.now))).toBe(true);
    expect(keysOf(deliveries[1])).toEqual(['e2']);
  });

  it('digests many due keys in one pass, at most `concurrency` at once', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    let active = 0;
    let peak = 0;
    const delivered: string[] = [];
    const { worker } = recordingWorker(backend, clock, {
      concurrency: 3,
      deliver: async ({ key }) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => setImmediate(resolve));
        delivered.push(key);
        active--;
      },
    });
    for (let i = 0; i < 10; i++) await worker.add(`k${i}`, rec('first', clock.now));
    for (let i = 0; i < 10; i++) await worker.add(`k${i}`, rec('second', clock.now));
    clock.advance(1_000);
    const pass = await worker.runOnce();
    expect(pass).toMatchObject({ scheduled: 10, delivered: 10 });
    expect(peak).toBe(3);
    expect(delivered).toHaveLength(20);
  });

  it('digest ids: same snapshot → same id; another record or timestamp → another id', () => {
    const a = [rec('e2', 2), rec('e1', 1)];
    expect(digestIdOf('k', a)).toBe(digestIdOf('k', [...a].reverse()));
    expect(digestIdOf('k', a)).not.toBe(digestIdOf('k2', a));
    expect(digestIdOf('k', a)).not.toBe(digestIdOf('k', [rec('e2', 3), rec('e1', 1)]));
    expect(digestIdOf('k', a)).not.toBe(digestIdOf('k', [...a, rec('e3', 3)]));
    // No ambiguity from separators inside keys.
    expect(digestIdOf('a', [rec('b,c', 1)])).not.toBe(digestIdOf('a,b', [rec('c', 1)]));
  });
});
