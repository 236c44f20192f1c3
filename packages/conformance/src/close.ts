import type { Backend } from '@digests/core';
import { addMany, BackendUnavailableError, DigestsError } from '@digests/core';
import { expect } from 'vitest';
import { type Harness, record } from './harness.js';

/** Every operation of a backend, called with harmless valid arguments. */
function everyOperation(
  backend: Backend<unknown>,
  now: number,
): Record<string, () => Promise<unknown>> {
  return {
    add: () => backend.add('k', record('b', now)),
    addMany: () => addMany(backend, [{ key: 'k', record: record('c', now) }]),
    digest: () => backend.digest('k', () => undefined),
    schedule: async () => {
      for await (const _ of backend.schedule(now)) {
        // must reject before it yields anything
      }
    },
    maintenance: () => backend.maintenance(now),
    flush: () => backend.flush('k'),
    delete: () => backend.delete('k'),
    inspect: () => backend.inspect('k'),
    remove: () => backend.remove('k', ['a']),
    list: () => backend.list(),
    quarantined: () => backend.quarantined('k'),
    deleteQuarantined: () => backend.deleteQuarantined('k'),
  };
}

/** Contract close.1: after `close()` every call rejects with a typed, non-transient error. */
export function closeCases(h: Harness): void {
  h.case(
    'close.1',
    'every operation after close rejects a DigestsError that is not BackendUnavailableError',
    async () => {
      const backend = await h.backend();
      await backend.add('k', record('a', h.now));
      await backend.close();
      for (const [name, call] of Object.entries(everyOperation(backend, h.now))) {
        const error = await call().then(
          () => new Error(`${name} resolved after close`),
          (e: unknown) => e,
        );
        expect(error, name).toBeInstanceOf(DigestsError);
        expect(error, name).not.toBeInstanceOf(BackendUnavailableError);
        expect((error as Error).name, name).toBe('BackendClosedError');
      }
    },
  );

  h.case('close.1', 'closing twice is harmless', async () => {
    const backend = await h.backend();
    await backend.close();
    await expect(backend.close()).resolves.toBeUndefined();
  });

  h.case(
    'close.1',
    'a closed backend wrote nothing more, and another backend is unaffected',
    async () => {
      const closed = await h.backend();
      const open = await h.backend();
      await closed.close();
      await closed.add('k', record('a', h.now)).catch(() => undefined);
      expect(await open.add('k', record('a', h.now))).toBe(true);
      expect((await open.inspect('k')).size).toBe(1);
    },
  );
}
