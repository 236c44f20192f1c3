import type { Backend, TimelineRecord } from '@digests/core';
import {
  CodecError,
  ConfigurationError,
  DigestsError,
  InvalidKeyError,
  InvalidRecordError,
} from '@digests/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  badCall,
  invalidBackendOptions,
  invalidKey,
  malformedRecord,
  unencodableValue,
} from './fuzz-arbitraries.js';
import { describeInput, rejection, type Seeded, withSeeded } from './fuzz-seeded.js';
import { EPOCH } from './harness.js';
import type { ConformanceTarget } from './target.js';

/** What every fuzzing property of one run shares. */
export interface FuzzSettings {
  /** fast-check's parameters: the run count and the seed. */
  readonly parameters: { readonly numRuns: number; readonly seed: number };
  /** Timeout per property in ms. */
  readonly timeout: number;
  /** The store's own limit on one encoded value, in bytes, if any. */
  readonly maxValueSize?: number;
}

/**
 * Registers the properties that throw invalid input at `target`: each must
 * get its typed error (`InvalidKeyError`, `InvalidRecordError`,
 * `CodecError`, `ConfigurationError`) and write nothing, checked against a
 * seeded store.
 *
 * @example
 * ```ts
 * describe('memory input fuzzing', () => invalidInputProperties(target, settings));
 * ```
 */
export function invalidInputProperties(target: ConformanceTarget, settings: FuzzSettings): void {
  const { parameters, timeout } = settings;
  /** A property run against a freshly seeded store (see {@link withSeeded}). */
  const seeded = (title: string, body: (s: Seeded) => Promise<void>) =>
    it(title, () => withSeeded(target, body), timeout);

  seeded(
    'invalid timeline keys reject InvalidKeyError in every operation and write nothing',
    async (s) => {
      await fc.assert(
        fc.asyncProperty(invalidKey, (key) =>
          s.run(async () => {
            const k = key as string;
            const r = { key: 'r', value: 1, timestamp: s.clock.now };
            const calls: [string, () => Promise<unknown>][] = [
              ['add', () => s.backend.add(k, r)],
              ['digest', () => s.backend.digest(k, () => undefined)],
              ['flush', () => s.backend.flush(k)],
              ['delete', () => s.backend.delete(k)],
              ['inspect', () => s.backend.inspect(k)],
            ];
            for (const [name, call] of calls) {
              const error = await rejection(call);
              expect(error, `${name}(${describeInput(key)})`).toBeInstanceOf(InvalidKeyError);
            }
            await s.expectUnchanged(`operations on ${describeInput(key)}`);
          }),
        ),
        parameters,
      );
    },
  );

  seeded('invalid record keys reject InvalidKeyError and write nothing', async (s) => {
    await fc.assert(
      fc.asyncProperty(invalidKey, fc.constantFrom('ready', 'waiting', 'new'), (key, timeline) =>
        s.run(async () => {
          const bad = { key, value: 1, timestamp: s.clock.now } as TimelineRecord;
          const error = await rejection(() => s.backend.add(timeline, bad));
          expect(error, `record key ${describeInput(key)}`).toBeInstanceOf(InvalidKeyError);
          await s.expectUnchanged(`add(${timeline}, record key ${describeInput(key)})`);
        }),
      ),
      parameters,
    );
  });

  seeded('malformed records reject InvalidRecordError and write nothing', async (s) => {
    await fc.assert(
      fc.asyncProperty(
        malformedRecord,
        fc.constantFrom('ready', 'waiting', 'new'),
        (bad, timeline) =>
          s.run(async () => {
            const error = await rejection(() => s.backend.add(timeline, bad as TimelineRecord));
            expect(error, describeInput(bad)).toBeInstanceOf(InvalidRecordError);
            await s.expectUnchanged(`add(${timeline}, ${describeInput(bad)})`);
          }),
      ),
      parameters,
    );
  });

  seeded(
    'values JSON cannot represent faithfully, nested anywhere, reject CodecError and write nothing',
    async (s) => {
      await fc.assert(
        fc.asyncProperty(
          unencodableValue,
          fc.constantFrom('ready', 'waiting', 'new'),
          ({ kind, value }, timeline) =>
            s.run(async () => {
              const error = await rejection(() =>
                s.backend.add(timeline, { key: 'a', value, timestamp: s.clock.now }),
              );
              expect(error, `${kind}: ${describeInput(value)}`).toBeInstanceOf(CodecError);
              expect(error).toBeInstanceOf(InvalidRecordError);
              expect(error).toBeInstanceOf(DigestsError);
              await s.expectUnchanged(`add of ${kind}`);
            }),
        ),
        parameters,
      );
    },
  );

  seeded(
    'invalid per-call options and deadlines reject ConfigurationError and change nothing',
    async (s) => {
      await fc.assert(
        fc.asyncProperty(badCall, (call) =>
          s.run(async () => {
            const b = s.backend;
            const error = await rejection(() => {
              switch (call.op) {
                case 'add':
                  return b.add(
                    'ready',
                    { key: 'c', value: 3, timestamp: s.clock.now },
                    call.options,
                  );
                case 'digest':
                  return b.digest(
                    'ready',
                    ('fn' in call ? call.fn : () => undefined) as () => undefined,
                    call.options,
                  );
                case 'schedule':
                  return b.schedule(
                    call.deadline as number,
                    call.chunkSize === undefined
                      ? undefined
                      : { chunkSize: call.chunkSize as number },
                  );
                case 'maintenance':
                  return b.maintenance(call.deadline as number);
              }
            });
            expect(error, describeInput(call)).toBeInstanceOf(ConfigurationError);
            await s.expectUnchanged(describeInput(call));
          }),
        ),
        parameters,
      );
    },
  );

  it(
    'invalid backend options reject ConfigurationError from create',
    async () => {
      await fc.assert(
        fc.asyncProperty(invalidBackendOptions, async (bad) => {
          let created: Backend<unknown> | undefined;
          const error = await target.create({ clock: () => EPOCH, ...bad }).then(
            (backend) => {
              created = backend;
              return 'created';
            },
            (e: unknown) => e,
          );
          if (created) await (target.destroy ?? ((b: Backend<unknown>) => b.close()))(created);
          expect(error, describeInput(bad)).toBeInstanceOf(ConfigurationError);
        }),
        parameters,
      );
    },
    timeout,
  );
}
