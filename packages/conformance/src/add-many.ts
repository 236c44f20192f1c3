import {
  addMany,
  CodecError,
  ConfigurationError,
  hasAddMany,
  InvalidKeyError,
  InvalidRecordError,
} from '@digests/core';
import { expect } from 'vitest';
import { type Harness, info, keysOf, record, take } from './harness.js';

/**
 * Batch ingest: `addMany` (native, or core's fallback through `add`) behaves
 * like `add` on each entry in order, and a bad entry writes nothing.
 */
export function addManyCases(h: Harness): void {
  h.case('add.10', 'addMany resolves what add would have, entry by entry, in order', async () => {
    const backend = await h.backend();
    const results = await addMany(backend, [
      { key: 'k1', record: record('a', h.now, 'first a') },
      { key: 'k1', record: record('b', h.now + 1) },
      { key: 'k2', record: record('c', h.now + 2) },
      { key: 'k1', record: record('a', h.now + 3, 'second a') },
    ]);
    expect(results).toEqual([true, false, true, false]);
    expect(await info(backend, 'k1')).toEqual({ state: 'ready', score: h.now, size: 2 });
    expect(await take(backend, 'k1')).toEqual([
      record('a', h.now + 3, 'second a'),
      record('b', h.now + 1),
    ]);
    expect(keysOf(await take(backend, 'k2'))).toEqual(['c']);
  });

  h.case('add.10', 'addMany applies the schedule arithmetic once per entry', async () => {
    const backend = await h.backend({ minimumDelay: 100, incrementDelay: 30, maximumDelay: 200 });
    await backend.add('k', record('seed', h.now));
    await take(backend, 'k');
    const entries = ['a', 'b', 'c', 'd'].map((key, i) => ({
      key: 'k',
      record: record(key, h.now + i),
    }));
    expect(await addMany(backend, entries, { incrementDelay: 40 })).toEqual([
      false,
      false,
      false,
      false,
    ]);
    // min(100 + 4 × 40, 200) = 200
    expect(await info(backend, 'k')).toEqual({
      state: 'waiting',
      score: h.now + 200,
      size: 4,
      lastProcessed: h.now,
    });
  });

  h.case('add.10', 'an empty batch resolves an empty array', async () => {
    const backend = await h.backend();
    expect(await addMany(backend, [])).toEqual([]);
    await h.expectStoresNothing(backend);
  });

  h.case(
    'add.10',
    'a bad key, record or delay anywhere rejects the batch and writes nothing',
    async () => {
      const backend = await h.backend();
      const good = { key: 'k', record: record('a', h.now) };
      await expect(
        addMany(backend, [good, { key: '', record: record('b', h.now) }]),
      ).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(
        addMany(backend, [good, { key: 'k', record: record('b', Number.NaN) }]),
      ).rejects.toBeInstanceOf(InvalidRecordError);
      await expect(addMany(backend, [good], { maximumDelay: -1 })).rejects.toBeInstanceOf(
        ConfigurationError,
      );
      await expect(addMany(backend, [good, null as unknown as typeof good])).rejects.toBeInstanceOf(
        ConfigurationError,
      );
      expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
      await h.expectStoresNothing(backend);
    },
  );

  h.case('add.10', 'a native addMany encodes every value before writing any', async () => {
    const backend = await h.backend();
    if (!hasAddMany(backend)) return; // core's fallback checks values per add
    await expect(
      backend.addMany([
        { key: 'k', record: record('a', h.now) },
        { key: 'k', record: record('b', h.now, 10n) },
      ]),
    ).rejects.toBeInstanceOf(CodecError);
    expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
    await h.expectStoresNothing(backend);
  });

  h.case(
    'add.10',
    'a large batch over many timelines keeps every record',
    async () => {
      const backend = await h.backend();
      const entries = Array.from({ length: 2_000 }, (_, i) => ({
        key: `mail:p:${i % 50}`,
        record: record(`r${i}`, h.now + i),
      }));
      const results = await addMany(backend, entries);
      expect(results.filter(Boolean)).toHaveLength(50);
      expect(results.slice(0, 50).every(Boolean)).toBe(true);
      for (let k = 0; k < 50; k += 7) expect((await backend.inspect(`mail:p:${k}`)).size).toBe(40);
    },
    120_000,
  );
}
