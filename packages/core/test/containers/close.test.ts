import type { Backend } from '@digests/core';
import {
  addMany,
  BackendClosedError,
  CircuitBreakerBackend,
  FallbackBackend,
  isTransient,
  NullBackend,
  PolyBackend,
  RetryingBackend,
  RoutingBackend,
} from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { rec, T0 } from './helpers.js';
import { noSleep } from './targets.js';

const memory = () => new MemoryBackend({ clock: () => T0 });

/** Every container, built to close its inner backends or not. */
const containers: readonly [string, (closeInner: boolean) => Backend][] = [
  ['null', () => new NullBackend()],
  ['poly', (closeInner) => new PolyBackend([memory(), memory()], { closeInner })],
  [
    'fallback',
    (closeInner) => new FallbackBackend({ primary: memory(), secondary: memory(), closeInner }),
  ],
  [
    'routing',
    (closeInner) =>
      new RoutingBackend({
        predicate: () => true,
        primary: memory(),
        secondary: memory(),
        closeInner,
      }),
  ],
  [
    'retrying',
    (closeInner) =>
      new RetryingBackend({ backend: memory(), delays: [0], closeInner, sleep: noSleep }),
  ],
  ['circuit breaker', () => new CircuitBreakerBackend({ backend: memory(), cooldown: 1_000 })],
];

/** Every call of the contract, with valid arguments. */
function everyCall(backend: Backend): Record<string, () => Promise<unknown>> {
  return {
    add: () => backend.add('k', rec('a')),
    addMany: () => addMany(backend, [{ key: 'k', record: rec('b') }]),
    digest: () => backend.digest('k', () => undefined, { limit: 1 }),
    schedule: async () => {
      for await (const _ of backend.schedule(T0)) {
        // rejects before yielding
      }
    },
    maintenance: () => backend.maintenance(T0),
    flush: () => backend.flush('k'),
    delete: () => backend.delete('k'),
    inspect: () => backend.inspect('k'),
    remove: () => backend.remove('k', ['a']),
    list: () => backend.list({ state: 'ready' }),
    quarantined: () => backend.quarantined('k'),
    deleteQuarantined: () => backend.deleteQuarantined('k'),
  };
}

describe.each(containers)('%s after close()', (_, build) => {
  it.each([true, false])(
    'every call rejects BackendClosedError, not transient (closeInner: %s)',
    async (closeInner) => {
      const backend = build(closeInner);
      await backend.close();
      await backend.close(); // twice is harmless
      for (const [name, call] of Object.entries(everyCall(backend))) {
        const error = await call().then(
          () => new Error(`${name} resolved after close`),
          (e: unknown) => e,
        );
        expect(error, name).toBeInstanceOf(BackendClosedError);
        expect(isTransient(error), name).toBe(false);
      }
    },
  );
});

describe('BackendClosedError from an inner backend', () => {
  it('is not retried by RetryingBackend', async () => {
    const inner = new FaultyBackend<unknown>(memory());
    const retrying = new RetryingBackend({
      backend: inner,
      delays: [0, 0, 0],
      repeatLast: true,
      sleep: noSleep,
    });
    await inner.close();
    await expect(retrying.add('k', rec('a'))).rejects.toBeInstanceOf(BackendClosedError);
    expect(inner.calls('add')).toBe(1);
  });

  it('is not a reason for FallbackBackend to write the secondary', async () => {
    const primary = memory();
    const secondary = new FaultyBackend<unknown>(memory());
    const fallback = new FallbackBackend({ primary, secondary });
    await primary.close();
    await expect(fallback.add('k', rec('a'))).rejects.toBeInstanceOf(BackendClosedError);
    expect(secondary.calls('add')).toBe(0);
    expect((await secondary.inspect('k')).size).toBe(0);
  });

  it('closing a RetryingBackend ends a retry loop in its wait', async () => {
    const inner = new FaultyBackend<unknown>(memory());
    inner.down = true;
    let retrying!: RetryingBackend;
    retrying = new RetryingBackend({
      backend: inner,
      delays: [1_000],
      repeatLast: true,
      closeInner: false,
      sleep: () => retrying.close(),
    });
    await expect(retrying.add('k', rec('a'))).rejects.toBeInstanceOf(BackendClosedError);
    expect(inner.calls('add')).toBe(1);
  });
});
