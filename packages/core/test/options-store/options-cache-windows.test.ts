import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/errors.js';
import { OptionsRegistry } from '../../src/options-store/options-registry.js';
import { OptionsStore } from '../../src/options-store/options-store.js';
import { FailingStorage } from './failing-storage.js';

const TTL = 1_000;
const GRACE = 5_000;

function setup() {
  let now = 1_700_000_000_000;
  const storage = new FailingStorage();
  const registry = new OptionsRegistry();
  const delay = registry.register('digests.minimumDelay', { type: 'number', default: 300_000 });
  const warnings: string[] = [];
  const store = new OptionsStore({
    storage,
    registry,
    ttl: TTL,
    grace: GRACE,
    clock: () => now,
    logger: { warn: (message) => warnings.push(message) },
  });
  return {
    storage,
    store,
    delay,
    warnings,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('OptionsStore cache windows', () => {
  it('fresh: within the TTL the storage is not asked again', async () => {
    const { storage, store, delay, advance } = setup();
    await storage.inner.set('digests.minimumDelay', '60000');
    expect(await store.get(delay)).toBe(60_000);
    expect(storage.reads).toBe(1);
    await storage.inner.set('digests.minimumDelay', '1');
    advance(TTL - 1);
    expect(await store.get(delay)).toBe(60_000);
    expect(storage.reads).toBe(1);
  });

  it('stale but healthy: after the TTL the value is fetched again', async () => {
    const { storage, store, delay, advance } = setup();
    await storage.inner.set('digests.minimumDelay', '60000');
    await store.get(delay);
    await storage.inner.set('digests.minimumDelay', '1');
    advance(TTL);
    expect(await store.get(delay)).toBe(1);
    expect(storage.reads).toBe(2);
    // …and that fetch starts a new fresh window.
    advance(TTL - 1);
    expect(await store.get(delay)).toBe(1);
    expect(storage.reads).toBe(2);
  });

  it('storage down within the grace: the stale value is served', async () => {
    const { storage, store, delay, advance, warnings } = setup();
    await storage.inner.set('digests.minimumDelay', '60000');
    await store.get(delay);
    storage.failing = true;
    advance(TTL + GRACE - 1);
    expect(await store.get(delay)).toBe(60_000);
    expect(storage.reads).toBe(2);
    expect(warnings).toContain('options storage unavailable');
  });

  it('storage down beyond the grace: the default is served', async () => {
    const { storage, store, delay, advance } = setup();
    await storage.inner.set('digests.minimumDelay', '60000');
    await store.get(delay);
    storage.failing = true;
    advance(TTL + GRACE);
    expect(await store.get(delay)).toBe(300_000);
    // Once back, the stored value returns.
    storage.failing = false;
    expect(await store.get(delay)).toBe(60_000);
  });

  it('storage down and nothing cached: the default is served', async () => {
    const { storage, store, delay } = setup();
    storage.failing = true;
    expect(await store.get(delay, 'mail:p:1')).toBe(300_000);
  });

  it('an unset value is cached too (no read per call for defaults)', async () => {
    const { storage, store, delay } = setup();
    for (let i = 0; i < 5; i++) expect(await store.get(delay)).toBe(300_000);
    expect(storage.reads).toBe(1);
  });

  it('concurrent reads of one name share a fetch', async () => {
    const { storage, store, delay } = setup();
    await storage.inner.set('digests.minimumDelay', '7');
    const values = await Promise.all(Array.from({ length: 10 }, () => store.get(delay)));
    expect(values).toEqual(Array(10).fill(7));
    expect(storage.reads).toBe(1);
  });
});

describe('OptionsStore writes', () => {
  it('go to the storage first, then to the cache', async () => {
    const { storage, store, delay } = setup();
    expect(await store.get(delay)).toBe(300_000);
    await store.set(delay, 42);
    expect(await storage.inner.get('digests.minimumDelay')).toBe('42');
    expect(await store.get(delay)).toBe(42);
    expect(storage.reads).toBe(1);
    await store.delete(delay);
    expect(await storage.inner.get('digests.minimumDelay')).toBeUndefined();
    expect(await store.get(delay)).toBe(300_000);
    expect(storage.reads).toBe(1);
  });

  it('a failed write rejects and does not change what is served', async () => {
    const { storage, store, delay } = setup();
    await store.set(delay, 42);
    storage.failing = true;
    await expect(store.set(delay, 43)).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(store.delete(delay)).rejects.toBeInstanceOf(BackendUnavailableError);
    storage.failing = false;
    expect(await store.get(delay)).toBe(42);
  });
});
