import type { Backend } from '@digests/core';
import { InvalidKeyError } from '@digests/core';
import { expect } from 'vitest';
import { type Harness, info, keysOf, record, take } from './harness.js';
import { POISON, POISON_TEXT, PoisonCodec, rawText } from './poison-codec.js';

/** A backend whose codec refuses {@link POISON}, holding `k` with good and poisoned records. */
async function poisoned(h: Harness): Promise<Backend<unknown>> {
  const backend = await h.backend({ codec: new PoisonCodec(), minimumDelay: 100 });
  await backend.add('k', record('good1', h.now - 3, 'one'));
  await backend.add('k', record('bad1', h.now - 2, POISON));
  await backend.add('k', record('good2', h.now - 1, 'two'));
  await backend.add('k', record('bad2', h.now - 4, POISON));
  return backend;
}

/** Contract digest.9: a value that cannot be decoded is quarantined, never blocking, never lost. */
export function quarantineCases(h: Harness): void {
  h.case('digest.9', 'fn gets the records that decode; the digest succeeds', async () => {
    const backend = await poisoned(h);
    const handed = await take(backend, 'k');
    expect(handed).toEqual([record('good2', h.now - 1, 'two'), record('good1', h.now - 3, 'one')]);
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: h.now + 100,
      size: 0,
      lastProcessed: h.now,
      quarantined: 2,
    });
  });

  h.case('digest.9', 'quarantined(key) returns the raw values, oldest first', async () => {
    const backend = await poisoned(h);
    await take(backend, 'k');
    const raw = await backend.quarantined('k');
    expect(raw.map((r) => ({ ...r, value: rawText(r.value) }))).toEqual([
      { key: 'bad2', timestamp: h.now - 4, value: POISON_TEXT },
      { key: 'bad1', timestamp: h.now - 2, value: POISON_TEXT },
    ]);
    expect(await backend.quarantined('other')).toEqual([]);
  });

  h.case(
    'digest.9',
    'a timeline of only poisoned values is digested empty, not blocked',
    async () => {
      const backend = await h.backend({ codec: new PoisonCodec() });
      await backend.add('k', record('bad', h.now, POISON));
      expect(await take(backend, 'k')).toEqual([]);
      // Nothing was delivered: the key is absent, and its quarantine stays.
      expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0, quarantined: 1 });
      expect(await backend.add('k', record('good', h.now, 'ok'))).toBe(true);
      expect(await take(backend, 'k')).toEqual([record('good', h.now, 'ok')]);
      expect(keysOf(await backend.quarantined('k'))).toEqual(['bad']);
    },
  );

  h.case(
    'digest.9',
    'values are quarantined even when fn fails, and never handed again',
    async () => {
      const backend = await poisoned(h);
      await expect(backend.digest('k', () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      );
      expect(await info(backend, 'k')).toMatchObject({ state: 'ready', size: 2, quarantined: 2 });
      expect(keysOf(await take(backend, 'k'))).toEqual(['good2', 'good1']);
      expect(await backend.quarantined('k')).toHaveLength(2);
    },
  );

  h.case(
    'digest.9',
    'deleteQuarantined removes the named values, or all, and counts them',
    async () => {
      const backend = await poisoned(h);
      await take(backend, 'k');
      expect(await backend.deleteQuarantined('k', ['bad1', 'missing'])).toBe(1);
      expect(keysOf(await backend.quarantined('k'))).toEqual(['bad2']);
      expect(await info(backend, 'k')).toMatchObject({ quarantined: 1 });
      expect(await backend.deleteQuarantined('k')).toBe(1);
      expect(await backend.quarantined('k')).toEqual([]);
      expect(await info(backend, 'k')).not.toHaveProperty('quarantined');
      expect(await backend.deleteQuarantined('k')).toBe(0);
    },
  );

  h.case('digest.9', 'delete removes quarantined values too, leaving nothing', async () => {
    const backend = await poisoned(h);
    await take(backend, 'k');
    await backend.delete('k');
    expect(await backend.quarantined('k')).toEqual([]);
    expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
    await h.expectStoresNothing(backend);
  });

  h.case('digest.9', 'quarantined values of an emptied key are kept until deleted', async () => {
    const backend = await h.backend({ codec: new PoisonCodec(), minimumDelay: 0 });
    await backend.add('k', record('bad', h.now, POISON));
    await backend.add('k', record('good', h.now, 'ok'));
    await take(backend, 'k');
    await backend.flush('k');
    await take(backend, 'k'); // empty: the key becomes absent
    expect((await backend.inspect('k')).state).toBe('absent');
    expect(keysOf(await backend.quarantined('k'))).toEqual(['bad']);
    expect(await backend.deleteQuarantined('k')).toBe(1);
    await h.expectStoresNothing(backend);
  });

  h.case('digest.9', 'quarantine operations reject invalid keys with InvalidKeyError', async () => {
    const backend = await h.backend();
    await expect(backend.quarantined('')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(backend.deleteQuarantined('')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(backend.deleteQuarantined('k', [''])).rejects.toBeInstanceOf(InvalidKeyError);
  });
}
