import { describe, expect, it } from 'vitest';
import type { KeyOptions, KeyOptionsSource } from '../../src/worker/key-options.js';
import { FakeClock, keysOf, memoryBackend, rec, recordingWorker } from './worker-harness.js';

function switchable(initial: Record<string, KeyOptions>) {
  const table = new Map(Object.entries(initial));
  const source: KeyOptionsSource = {
    forKey: async (key) => table.get(key) ?? { enabled: true },
  };
  return { source, table };
}

describe('DigestWorker per-key options', () => {
  it('a disabled key keeps its records and is delivered once enabled again', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { source, table } = switchable({ muted: { enabled: false } });
    const { worker, deliveries } = recordingWorker(backend, clock, {
      options: source,
      maintenanceAge: 500,
    });
    expect(await worker.add('muted', rec('e1', clock.now))).toBe(true);
    clock.advance(1);
    await worker.add('muted', rec('e2', clock.now));
    expect(deliveries).toHaveLength(0);
    clock.advance(1_000);
    await worker.runOnce();
    expect(deliveries).toHaveLength(0);
    expect(worker.counters.skippedDisabled).toBe(2);
    expect(await backend.inspect('muted')).toMatchObject({ size: 2 });

    table.set('muted', { enabled: true });
    clock.advance(1_000);
    await worker.runOnce();
    expect(deliveries.map(keysOf)).toEqual([['e2', 'e1']]);
  });

  it('delay overrides go to add and digest', async () => {
    const clock = new FakeClock();
    const backend = memoryBackend(clock);
    const { source } = switchable({
      slow: { enabled: true, minimumDelay: 5_000, incrementDelay: 700, maximumDelay: 9_000 },
    });
    const { worker } = recordingWorker(backend, clock, { options: source });
    const start = clock.now;
    await worker.add('slow', rec('e1', clock.now));
    expect(await backend.inspect('slow')).toMatchObject({ score: start + 5_000 });
    await worker.add('slow', rec('e2', clock.now));
    expect(await backend.inspect('slow')).toMatchObject({ score: start + 5_700 });
    // A per-call option still wins over the key's.
    await worker.add('slow', rec('e3', clock.now), { incrementDelay: 1 });
    expect(await backend.inspect('slow')).toMatchObject({ score: start + 5_701 });
    await worker.add('plain', rec('e1', clock.now));
    expect(await backend.inspect('plain')).toMatchObject({ score: start + 100 });
  });

  it('an options source that throws falls back to the defaults', async () => {
    const clock = new FakeClock();
    const warnings: string[] = [];
    const { worker, deliveries } = recordingWorker(memoryBackend(clock), clock, {
      options: {
        forKey: async () => {
          throw new Error('options store down');
        },
      },
      logger: { warn: (message) => warnings.push(message), error: () => undefined },
    });
    await worker.add('k', rec('e1', clock.now));
    expect(deliveries).toHaveLength(1);
    expect(warnings).toEqual(['key options unavailable; using defaults']);
  });
});
