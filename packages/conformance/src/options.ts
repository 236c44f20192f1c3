import { ConfigurationError, hasAddMany, InvalidRecordError } from '@digests/core';
import { expect } from 'vitest';
import { type Harness, info, keysOf, record, take } from './harness.js';

/** Contract options.1 and input.3: the newer backend options. */
export function optionCases(h: Harness): void {
  h.case('options.1', 'operationTimeout must be a positive, finite number of ms', async () => {
    for (const operationTimeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '100']) {
      const error = await h
        .backend({ operationTimeout: operationTimeout as number })
        .catch((e: unknown) => e);
      expect(error, `operationTimeout ${String(operationTimeout)}`).toBeInstanceOf(
        ConfigurationError,
      );
    }
    const backend = await h.backend({ operationTimeout: 5_000 });
    expect(await backend.add('k', record('a', h.now))).toBe(true);
  });

  h.case('options.1', 'maxValueSize must be an integer ≥ 1', async () => {
    for (const maxValueSize of [0, -1, 1.5, Number.NaN, '100']) {
      const error = await h
        .backend({ maxValueSize: maxValueSize as number })
        .catch((e: unknown) => e);
      expect(error, `maxValueSize ${String(maxValueSize)}`).toBeInstanceOf(ConfigurationError);
    }
  });

  h.case(
    'input.3',
    'a value over maxValueSize rejects InvalidRecordError and writes nothing',
    async () => {
      // JSON of a string of n ASCII characters is n + 2 bytes.
      const backend = await h.backend({ maxValueSize: 12 });
      const items = await h.storedItems(backend);
      await expect(backend.add('k', record('big', h.now, 'x'.repeat(11)))).rejects.toBeInstanceOf(
        InvalidRecordError,
      );
      // Bytes, not UTF-16 units: 5 × 'é' is 10 bytes + 2 quotes.
      await expect(backend.add('k', record('wide', h.now, 'é'.repeat(6)))).rejects.toBeInstanceOf(
        InvalidRecordError,
      );
      expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
      await h.expectStoredItems(backend, items);
      expect(await backend.add('k', record('fits', h.now, 'x'.repeat(10)))).toBe(true);
      expect(await backend.add('k', record('wide', h.now, 'é'.repeat(5)))).toBe(false);
      expect(keysOf(await take(backend, 'k'))).toEqual(['wide', 'fits']);
    },
  );

  h.case(
    'input.3',
    'one value over maxValueSize in a native addMany writes nothing of the batch',
    async () => {
      const backend = await h.backend({ maxValueSize: 12 });
      // Without a native addMany, entries are added one by one: nothing to check here.
      if (!hasAddMany(backend)) return;
      await backend.add('k', record('a', h.now, 'small'));
      const before = await info(backend, 'k');
      const items = await h.storedItems(backend);
      await expect(
        backend.addMany([
          { key: 'k', record: record('b', h.now, 'ok') },
          { key: 'other', record: record('c', h.now, 'x'.repeat(50)) },
        ]),
      ).rejects.toBeInstanceOf(InvalidRecordError);
      expect(await info(backend, 'k')).toEqual(before);
      expect(await info(backend, 'other')).toEqual({ state: 'absent', size: 0 });
      await h.expectStoredItems(backend, items);
    },
  );
}
