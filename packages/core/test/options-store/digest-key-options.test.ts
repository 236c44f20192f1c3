import { describe, expect, it } from 'vitest';
import {
  digestKeyOptions,
  registerDigestOptions,
} from '../../src/options-store/digest-key-options.js';
import { MemoryOptionsStorage } from '../../src/options-store/memory-options-storage.js';
import { OptionsStore } from '../../src/options-store/options-store.js';
import {
  FakeClock,
  keysOf,
  memoryBackend,
  rec,
  recordingWorker,
} from '../worker/worker-harness.js';

describe('digestKeyOptions', () => {
  it('reads enabled and delay overrides per key, falling back to global values', async () => {
    const store = new OptionsStore({ storage: new MemoryOptionsStorage() });
    const source = digestKeyOptions(store);
    const options = registerDigestOptions(store.registry);
    expect(await source.forKey('mail:p:1')).toEqual({ enabled: true });
    await store.set(options.minimumDelay, 60_000);
    await store.set(options.enabled, false, 'mail:p:1');
    await store.set(options.maximumDelay, 900_000, 'mail:p:1');
    expect(await source.forKey('mail:p:1')).toEqual({
      enabled: false,
      minimumDelay: 60_000,
      maximumDelay: 900_000,
    });
    expect(await source.forKey('mail:p:2')).toEqual({ enabled: true, minimumDelay: 60_000 });
    await expect(store.set(options.minimumDelay, -1)).rejects.toThrow();
  });

  it('drives a worker: a muted key is held, then delivered once unmuted', async () => {
    const clock = new FakeClock();
    const store = new OptionsStore({ storage: new MemoryOptionsStorage(), clock: clock.read });
    const { enabled } = registerDigestOptions(store.registry);
    const backend = memoryBackend(clock);
    const { worker, deliveries } = recordingWorker(backend, clock, {
      options: digestKeyOptions(store),
      maintenanceAge: 0,
    });
    await store.set(enabled, false, 'mail:p:1');
    await worker.add('mail:p:1', rec('e1', clock.now));
    await worker.add('mail:p:2', rec('e1', clock.now));
    expect(deliveries.map((d) => d.key)).toEqual(['mail:p:2']);
    await store.delete(enabled, 'mail:p:1');
    clock.advance(1);
    await worker.runOnce();
    expect(deliveries.map((d) => d.key)).toEqual(['mail:p:2', 'mail:p:1']);
    expect(keysOf(deliveries[1])).toEqual(['e1']);
  });
});
