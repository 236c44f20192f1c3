import type { Backend, BackendOptions, TimelineRecord } from '@digests/core';
import {
  CodecError,
  ConfigurationError,
  DigestsError,
  InvalidKeyError,
  InvalidRecordError,
} from '@digests/core';
import { expect } from 'vitest';
import { type Harness, info, record } from './harness.js';

/** Timeline or record keys every backend must reject with `InvalidKeyError`. */
export const INVALID_KEYS: readonly unknown[] = [
  '',
  'x'.repeat(1025),
  '\ud800',
  'a\udc00b',
  'end\ud83d',
  42,
  null,
  undefined,
  { key: 'k' },
];

function circular(): unknown {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value;
}

/** Values the default codec must reject with `CodecError` (an `InvalidRecordError`). */
export const UNENCODABLE_VALUES: readonly (() => unknown)[] = [
  () => () => 1,
  () => Symbol('s'),
  () => 10n,
  () => ({ nested: { big: 1n } }),
  circular,
  () => new Map([[1, 2]]),
  () => new Set([1]),
  () => [1, undefined, 3],
  () => Number.NaN,
  () => ({ n: Number.POSITIVE_INFINITY }),
  () => ({ fn: () => 1 }),
];

/** Records every backend must reject with `InvalidRecordError`. */
export const MALFORMED_RECORDS: readonly unknown[] = [
  null,
  'record',
  [],
  { key: 'a', timestamp: 1 },
  { key: 'a', value: undefined, timestamp: 1 },
  { key: 'a', value: 1, timestamp: Number.NaN },
  { key: 'a', value: 1, timestamp: Number.POSITIVE_INFINITY },
  { key: 'a', value: 1, timestamp: '1' },
  { key: 'a', value: 1 },
];

/** Options every backend must reject at construction with `ConfigurationError`. */
export const INVALID_OPTIONS: readonly BackendOptions<unknown>[] = [
  { minimumDelay: -1 },
  { incrementDelay: Number.NaN },
  { maximumDelay: Number.POSITIVE_INFINITY },
  { minimumDelay: '5' as unknown as number },
  { capacity: 0 },
  { capacity: 1.5 },
  { capacity: -3 },
  { capacity: 10, truncationChance: 1.5 },
  { capacity: 10, truncationChance: -0.1 },
  { truncationChance: 0.5 },
  { maximumDelay: 1_000, ttl: 1_000 },
  { maximumDelay: 1_000, ttl: 10 },
  { leaseDuration: 0 },
  { leaseDuration: -5 },
  { codec: {} as unknown as BackendOptions['codec'] },
  { clock: 5 as unknown as () => number },
  { flushThreshold: 0 },
  { flushThreshold: 2.5 },
  { operationTimeout: 0 },
  { operationTimeout: -1 },
  { operationTimeout: Number.NaN },
  { operationTimeout: Number.POSITIVE_INFINITY },
  { maxValueSize: 0 },
  { maxValueSize: 1.5 },
  { maxValueSize: -10 },
];

/** SPEC "Errors": bad input gets its typed error and writes nothing. */
export function badInputCases(h: Harness): void {
  async function expectUntouched(backend: Backend<unknown>): Promise<void> {
    await h.expectStoresNothing(backend);
  }

  h.case('keys.1', 'invalid timeline keys reject InvalidKeyError in every operation', async () => {
    const backend = await h.backend();
    for (const key of INVALID_KEYS) {
      const k = key as string;
      await expect(backend.add(k, record('r', h.now)), String(key)).rejects.toBeInstanceOf(
        InvalidKeyError,
      );
      await expect(backend.digest(k, () => undefined)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(backend.flush(k)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(backend.delete(k)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(backend.inspect(k)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(backend.remove(k, ['r'])).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(backend.quarantined(k)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(backend.deleteQuarantined(k)).rejects.toBeInstanceOf(InvalidKeyError);
    }
    await expectUntouched(backend);
  });

  h.case('input.1', 'invalid record keys reject InvalidKeyError and write nothing', async () => {
    const backend = await h.backend();
    for (const key of INVALID_KEYS) {
      const bad = { key, value: 1, timestamp: h.now } as unknown as TimelineRecord;
      await expect(backend.add('k', bad)).rejects.toBeInstanceOf(InvalidKeyError);
    }
    expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
    await expectUntouched(backend);
  });

  h.case('input.1', 'malformed records reject InvalidRecordError and write nothing', async () => {
    const backend = await h.backend();
    for (const bad of MALFORMED_RECORDS) {
      await expect(
        backend.add('k', bad as TimelineRecord),
        JSON.stringify(bad) ?? String(bad),
      ).rejects.toBeInstanceOf(InvalidRecordError);
    }
    expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
    await expectUntouched(backend);
  });

  h.case(
    'input.2',
    'values JSON cannot represent faithfully reject CodecError and write nothing',
    async () => {
      const backend = await h.backend();
      for (const make of UNENCODABLE_VALUES) {
        const error = await backend.add('k', record('r', h.now, make())).catch((e: unknown) => e);
        expect(error, String(make)).toBeInstanceOf(CodecError);
        expect(error).toBeInstanceOf(InvalidRecordError);
        expect(error).toBeInstanceOf(DigestsError);
      }
      expect(await info(backend, 'k')).toEqual({ state: 'absent', size: 0 });
      await expectUntouched(backend);
    },
  );

  h.case('input.1', 'a rejected add leaves an existing timeline exactly as it was', async () => {
    const backend = await h.backend({ minimumDelay: 100 });
    await backend.add('k', record('a', h.now));
    await backend.digest('k', () => undefined);
    await backend.add('k', record('b', h.now + 1));
    const before = await info(backend, 'k');
    await expect(backend.add('k', record('c', h.now + 2, 10n))).rejects.toBeInstanceOf(CodecError);
    await expect(backend.add('k', record('c', Number.NaN))).rejects.toBeInstanceOf(
      InvalidRecordError,
    );
    await expect(
      backend.add('k', record('c', h.now + 2), { incrementDelay: -1 }),
    ).rejects.toBeInstanceOf(ConfigurationError);
    expect(await info(backend, 'k')).toEqual(before);
  });

  h.case('options.1', 'invalid options reject ConfigurationError at construction', async () => {
    for (const options of INVALID_OPTIONS) {
      const error = await h.backend(options).catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(ConfigurationError);
    }
  });

  h.case(
    'options.2',
    'invalid per-call options reject ConfigurationError and change nothing',
    async () => {
      const backend = await h.backend();
      await expect(
        backend.add('k', record('a', h.now), { maximumDelay: Number.NaN }),
      ).rejects.toBeInstanceOf(ConfigurationError);
      await expectUntouched(backend);
      await backend.add('k', record('a', h.now));
      await expect(
        backend.digest('k', () => undefined, { minimumDelay: -5 }),
      ).rejects.toBeInstanceOf(ConfigurationError);
      await expect(
        backend.digest('k', 'not a function' as unknown as () => void),
      ).rejects.toBeInstanceOf(ConfigurationError);
      expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 1 });
      const drain = async (iterable: () => AsyncIterable<unknown>) => {
        for await (const _ of iterable()) {
          // drain
        }
      };
      await expect(drain(() => backend.schedule(Number.NaN))).rejects.toBeInstanceOf(
        ConfigurationError,
      );
      await expect(drain(() => backend.schedule(h.now, { chunkSize: 0 }))).rejects.toBeInstanceOf(
        ConfigurationError,
      );
      await expect(backend.maintenance(Number.NaN)).rejects.toBeInstanceOf(ConfigurationError);
      expect(await info(backend, 'k')).toEqual({ state: 'ready', score: h.now, size: 1 });
    },
  );
}
