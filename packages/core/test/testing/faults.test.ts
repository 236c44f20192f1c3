import { BackendUnavailableError, StoreBackend } from '@digests/core';
import { FaultyBackend, FaultyStore, InjectedStoreFailure } from '@digests/core/testing';
import { MemoryBackend, MemoryStore } from '@digests/memory';
import { describe, expect, it } from 'vitest';

const T0 = 1_700_000_000_000;
const rec = (key: string) => ({ key, value: key, timestamp: T0 });

/** Whether `promise` settled by the time queued callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('FaultyBackend hang', () => {
  it('a hung call never answers until heal(), then goes through', async () => {
    const backend = new FaultyBackend<unknown>(new MemoryBackend({ clock: () => T0 }));
    backend.hangOn('add', { after: 1, times: 1 });
    await backend.add('k', rec('first'));
    const hung = backend.add('k', rec('second'));
    expect(await settled(hung)).toBe(false);
    expect((await backend.inspect('k')).size).toBe(1);
    expect(backend.hangs('add')).toBe(1);
    backend.heal();
    expect(await hung).toBe(false);
    expect((await backend.inspect('k')).size).toBe(2);
  });

  it('the hanging switch holds every operation but close', async () => {
    const backend = new FaultyBackend<unknown>(new MemoryBackend({ clock: () => T0 }));
    backend.hanging = true;
    const calls = [backend.inspect('k'), backend.list(), backend.remove('k', ['a'])];
    for (const call of calls) expect(await settled(call)).toBe(false);
    backend.heal();
    await Promise.all(calls);
    await backend.close();
  });
});

describe('FaultyStore under the front', () => {
  it('a store that is down surfaces as BackendUnavailableError, writing nothing', async () => {
    const store = new FaultyStore(new MemoryStore());
    const backend = new StoreBackend(store, { clock: () => T0 });
    store.failOn('add', { times: 1 });
    const error = await backend.add('k', rec('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).cause).toBeInstanceOf(InjectedStoreFailure);
    expect(await backend.storedItems()).toBe(0);
    expect(await backend.add('k', rec('a'))).toBe(true);
  });

  it('passes stats through when the wrapped store counts itself, and can fail it', async () => {
    const store = new FaultyStore(new MemoryStore());
    const backend = new StoreBackend(store, { clock: () => T0 });
    await backend.add('k', rec('a'));
    expect(await backend.stats()).toMatchObject({ ready: 1, records: 1 });
    store.failOn('stats', { times: 1 });
    await expect(backend.stats()).rejects.toBeInstanceOf(BackendUnavailableError);
  });

  it('a hung store step ends in BackendUnavailableError after operationTimeout', async () => {
    const store = new FaultyStore(new MemoryStore());
    const backend = new StoreBackend(store, { clock: () => T0, operationTimeout: 50 });
    store.hangOn('inspect');
    const started = performance.now();
    await expect(backend.inspect('k')).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    store.heal();
  });
});
