import { describe, expect, it } from 'vitest';
import { ConfigurationError, InvalidKeyError } from '../../src/errors.js';
import { MemoryOptionsStorage } from '../../src/options-store/memory-options-storage.js';
import { OptionsRegistry } from '../../src/options-store/options-registry.js';
import { OptionsStore, storageName } from '../../src/options-store/options-store.js';
import { FailingStorage } from './failing-storage.js';

describe('OptionsRegistry', () => {
  it('registers typed options; the same registration again returns the first', () => {
    const registry = new OptionsRegistry();
    const a = registry.register('digests.minimumDelay', { type: 'number', default: 300_000 });
    expect(registry.register('digests.minimumDelay', { type: 'number', default: 300_000 })).toBe(a);
    expect(registry.get('digests.minimumDelay')).toBe(a);
    expect(registry.list()).toEqual([a]);
    expect(() => registry.register('digests.minimumDelay', { type: 'string' })).toThrow(
      ConfigurationError,
    );
  });

  it('rejects bad names, types and defaults', () => {
    const registry = new OptionsRegistry();
    expect(() => registry.register('has:colon', { type: 'number' })).toThrow(ConfigurationError);
    expect(() => registry.register('', { type: 'number' })).toThrow(ConfigurationError);
    expect(() => registry.register('x', { type: 'date' as never })).toThrow(ConfigurationError);
    expect(() =>
      registry.register('x', { type: 'number', default: -1, validate: (v) => v >= 0 }),
    ).toThrow(ConfigurationError);
    expect(() => registry.register('x', { type: 'number', default: Number.NaN })).toThrow(
      ConfigurationError,
    );
  });
});

describe('OptionsStore values', () => {
  function setup() {
    const storage = new MemoryOptionsStorage();
    const registry = new OptionsRegistry();
    const store = new OptionsStore({ storage, registry, clock: () => 0 });
    return { storage, registry, store };
  }

  it('reads the scope, then the global value, then the default', async () => {
    const { store, registry } = setup();
    const delay = registry.register('digests.minimumDelay', { type: 'number', default: 300_000 });
    expect(await store.get(delay, 'mail:p:1')).toBe(300_000);
    await store.set(delay, 60_000);
    expect(await store.get(delay, 'mail:p:1')).toBe(60_000);
    await store.set(delay, 5_000, 'mail:p:1');
    expect(await store.get(delay, 'mail:p:1')).toBe(5_000);
    expect(await store.get(delay, 'mail:p:10')).toBe(60_000);
    expect(await store.get(delay)).toBe(60_000);
    await store.delete(delay, 'mail:p:1');
    expect(await store.get(delay, 'mail:p:1')).toBe(60_000);
  });

  it('stores JSON under name or name:scope', async () => {
    const { store, registry, storage } = setup();
    const quiet = registry.register('mail.quietHours', { type: 'string' });
    const on = registry.register('mail.on', { type: 'boolean', default: false });
    await store.set(quiet, '22-07', 'mail:p:1');
    await store.set(on, true);
    expect(await storage.get('mail.quietHours:mail:p:1')).toBe('"22-07"');
    expect(await storage.get('mail.on')).toBe('true');
    expect(storageName(quiet, 'a:b')).toBe('mail.quietHours:a:b');
    expect(await store.get(quiet)).toBeUndefined();
    expect(() => storageName(quiet, '')).toThrow(InvalidKeyError);
  });

  it('rejects invalid values on set and ignores invalid stored ones', async () => {
    const { store, registry, storage } = setup();
    const delay = registry.register('d', { type: 'number', default: 1, validate: (v) => v >= 0 });
    await expect(store.set(delay, -5)).rejects.toBeInstanceOf(ConfigurationError);
    await expect(store.set(delay, Number.POSITIVE_INFINITY)).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    await expect(store.set(delay, '3' as never)).rejects.toBeInstanceOf(ConfigurationError);
    await storage.set('d:a', '"not a number"');
    await storage.set('d:b', '{broken json');
    await storage.set('d:c', '-3');
    expect(await store.get(delay, 'a')).toBe(1);
    expect(await store.get(delay, 'b')).toBe(1);
    expect(await store.get(delay, 'c')).toBe(1);
  });

  it('rejects bad store options', () => {
    const storage = new MemoryOptionsStorage();
    expect(() => new OptionsStore({ storage, ttl: -1 })).toThrow(ConfigurationError);
    expect(() => new OptionsStore({ storage, grace: Number.NaN })).toThrow(ConfigurationError);
    expect(() => new OptionsStore({ storage, maxEntries: 0 })).toThrow(ConfigurationError);
    expect(() => new OptionsStore({ storage: {} as never })).toThrow(ConfigurationError);
  });
});

describe('OptionsStore memory', () => {
  it('sweeps entries past TTL + grace', async () => {
    let now = 0;
    const registry = new OptionsRegistry();
    const flag = registry.register('f', { type: 'boolean', default: false });
    const store = new OptionsStore({
      storage: new FailingStorage(),
      registry,
      ttl: 10,
      grace: 20,
      clock: () => now,
    });
    for (let i = 0; i < 100; i++) await store.get(flag, `k${i}`);
    expect(store.cachedEntries).toBe(101);
    now = 29;
    expect(store.sweep()).toBe(0);
    now = 39;
    // The next fetch sweeps on its own (at most once per TTL), keeping what it fetched.
    await store.get(flag, 'fresh');
    expect(store.cachedEntries).toBe(2);
    now = 100;
    expect(store.sweep()).toBe(2);
    expect(store.cachedEntries).toBe(0);
  });

  it('never holds more than maxEntries, dropping the least recently used', async () => {
    const storage = new FailingStorage();
    const registry = new OptionsRegistry();
    const flag = registry.register('f', { type: 'boolean', default: false });
    const store = new OptionsStore({ storage, registry, maxEntries: 10, clock: () => 0 });
    for (let i = 0; i < 50; i++) await store.get(flag, `k${i}`);
    expect(store.cachedEntries).toBe(10);
    const reads = storage.reads;
    await store.get(flag, 'k49'); // recent: cached (k49 and the global f)
    expect(storage.reads).toBe(reads);
    await store.get(flag, 'k0'); // evicted: fetched again
    expect(storage.reads).toBe(reads + 1);
  });
});
