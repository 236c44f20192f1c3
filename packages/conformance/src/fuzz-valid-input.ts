import fc from 'fast-check';
import { expect, it } from 'vitest';
import { faithfulValue, finiteTimestamp, twoKeys } from './fuzz-arbitraries.js';
import type { FuzzSettings } from './fuzz-invalid-input.js';
import { strip, withBackend } from './fuzz-seeded.js';
import { type ConformanceTarget, storedItemsOf } from './target.js';

/**
 * Registers the properties that throw valid but nasty input at `target`:
 * odd keys and values, and huge values, must work and read back exactly.
 *
 * @example
 * ```ts
 * describe('memory input fuzzing', () => validInputProperties(target, settings));
 * ```
 */
export function validInputProperties(target: ConformanceTarget, settings: FuzzSettings): void {
  const { parameters, timeout, maxValueSize } = settings;
  it(
    'nasty but valid keys and values work, read back exactly and never share storage',
    () =>
      withBackend(target, async (backend, clock) => {
        await fc.assert(
          fc.asyncProperty(
            twoKeys,
            twoKeys,
            faithfulValue,
            finiteTimestamp,
            async ([k1, k2], [r1, r2], value, timestamp) => {
              const first = { key: r1, value, timestamp };
              const second = { key: r2, value: k2, timestamp: clock.now };
              expect(await backend.add(k1, first), 'add to an absent key').toBe(true);
              expect(await backend.add(k2, second)).toBe(true);
              expect(await backend.add(k2, { ...second, key: r1 })).toBe(false);
              expect(strip(await backend.inspect(k1))).toEqual({
                state: 'ready',
                score: timestamp,
                size: 1,
              });
              expect(await backend.digest(k1, (records) => [...records])).toEqual([first]);
              expect((await backend.inspect(k2)).size).toBe(2);
              const got = await backend.digest(k2, (records) => [...records]);
              expect(got.map((r) => r.key).sort()).toEqual([r1, r2].sort());
              for (const r of got) expect(r.value).toEqual(k2);
              await backend.delete(k1);
              await backend.delete(k2);
              expect(await backend.inspect(k1)).toMatchObject({ state: 'absent', size: 0 });
              if (target.storedItems !== false) {
                expect(await storedItemsOf(target, backend)).toBe(0);
              }
            },
          ),
          parameters,
        );
      }),
    timeout,
  );

  it(
    'huge values (1–5 MB) work and read back exactly',
    () =>
      withBackend(target, async (backend, clock) => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1_000_000, max: 5_000_000 }),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
            fc.boolean(),
            async (length, chunk, nested) => {
              const text = chunk.repeat(Math.ceil(length / chunk.length));
              const value = nested ? { text, list: [text.slice(0, 1_000), 1] } : text;
              fc.pre(
                maxValueSize === undefined ||
                  Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxValueSize,
              );
              await backend.add('huge', { key: 'big', value, timestamp: clock.now });
              await backend.add('huge', { key: 'small', value: 1, timestamp: clock.now - 1 });
              const got = await backend.digest('huge', (records) => [...records]);
              expect(got.map((r) => r.key)).toEqual(['big', 'small']);
              expect(got[0]?.value).toEqual(value);
              await backend.delete('huge');
            },
          ),
          { ...parameters, numRuns: Math.min(parameters.numRuns, 4) },
        );
      }),
    timeout,
  );
}
