import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  CircuitBreakerBackend,
  ConfigurationError,
  FallbackBackend,
  hasStats,
  NullBackend,
  PolyBackend,
  RetryingBackend,
  RoutingBackend,
  TimedBackend,
} from '../../src/index.js';

const record = (key: string, timestamp: number) => ({ key, value: key, timestamp });

async function filled(keys: string[], at = 1_000): Promise<MemoryBackend> {
  const backend = new MemoryBackend({ clock: () => at });
  for (const key of keys) await backend.add(key, record('r', at));
  await backend.maintenance(at); // → waiting, oldestDue = at
  return backend;
}

/** A backend that cannot count itself: everything but stats() delegates. */
function withoutStats(inner: Backend<unknown>): Backend<unknown> {
  return {
    add: (k, r, o) => inner.add(k, r, o),
    digest: (k, fn, o) => inner.digest(k, fn, o),
    schedule: (d, o) => inner.schedule(d, o),
    maintenance: (d) => inner.maintenance(d),
    flush: (k) => inner.flush(k),
    delete: (k) => inner.delete(k),
    inspect: (k) => inner.inspect(k),
    remove: (k, r) => inner.remove(k, r),
    list: (o) => inner.list(o),
    quarantined: (k) => inner.quarantined(k),
    deleteQuarantined: (k, r) => inner.deleteQuarantined(k, r),
    close: () => inner.close(),
  };
}

describe('stats() through containers', () => {
  it('poly takes the largest copy; fallback and routing sum; wrappers pass through', async () => {
    const a = await filled(['x', 'y']);
    const b = await filled(['z']);
    const poly = new PolyBackend([a, b]);
    const fallback = new FallbackBackend({ primary: a, secondary: b });
    const routing = new RoutingBackend({ predicate: () => true, primary: a, secondary: b });
    for (const backend of [poly, fallback, routing]) expect(hasStats(backend)).toBe(true);
    expect(await poly.stats()).toEqual({ waiting: 2, ready: 0, records: 2, oldestDue: 1_000 });
    expect(await fallback.stats()).toEqual({ waiting: 3, ready: 0, records: 3, oldestDue: 1_000 });
    expect(await routing.stats()).toEqual({ waiting: 3, ready: 0, records: 3, oldestDue: 1_000 });
    const wrapped = new TimedBackend(
      new RetryingBackend({
        backend: new CircuitBreakerBackend({ backend: fallback, cooldown: 1_000 }),
        delays: [0],
      }),
    );
    expect(await wrapped.stats()).toEqual(await fallback.stats());
    expect(await new NullBackend().stats()).toEqual({ waiting: 0, ready: 0, records: 0 });
  });

  it('says so when an inner backend cannot count itself', async () => {
    const poly = new PolyBackend([await filled(['x']), withoutStats(new MemoryBackend())]);
    await expect(poly.stats()).rejects.toBeInstanceOf(ConfigurationError);
    await expect(poly.stats()).rejects.toThrow(/cannot count itself/);
  });
});
