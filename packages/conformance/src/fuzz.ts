import type { Backend, TimelineInfo, TimelineRecord } from '@digests/core';
import {
  CodecError,
  ConfigurationError,
  DigestsError,
  InvalidKeyError,
  InvalidRecordError,
} from '@digests/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPOCH } from './harness.js';
import { propertyRuns } from './property-runs.js';
import { backendTarget, type ConformanceTarget, type KitTarget, storedItemsOf } from './target.js';

/** Options of {@link runInputFuzzing}. */
export interface InputFuzzingOptions {
  /** Inputs per property (default 100; huge values use at most 4); `DIGESTS_PROPERTY_RUNS` overrides it. */
  readonly numRuns?: number;
  /** fast-check seed; default `DIGESTS_SEED` from the environment, else a fresh random one (printed). */
  readonly seed?: number;
  /** Timeout per property in ms (default 120 000). */
  readonly timeout?: number;
  /**
   * The store's own limit on one encoded value, in bytes (MySQL's
   * `max_allowed_packet`, say): the huge-value property then draws only
   * values whose JSON stays under it. Default: no limit.
   */
  readonly maxValueSize?: number;
}

import {
  badCall,
  faithfulValue,
  finiteTimestamp,
  invalidBackendOptions,
  invalidKey,
  malformedRecord,
  twoKeys,
  unencodableValue,
} from './fuzz-arbitraries.js';

async function rejection(call: () => Promise<unknown> | AsyncIterable<unknown>): Promise<unknown> {
  try {
    const result = call();
    if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
      for await (const _ of result as AsyncIterable<unknown>) {
        // a rejected schedule must throw before it yields
      }
      return 'resolved';
    }
    await result;
    return 'resolved';
  } catch (error) {
    return error;
  }
}

function describeInput(value: unknown): string {
  const text = fc.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}

function strip(info: TimelineInfo): TimelineInfo {
  return Object.fromEntries(
    Object.entries(info).filter(([, v]) => v !== undefined),
  ) as unknown as TimelineInfo;
}

/**
 * A backend with known contents to compare against after every rejected
 * call: `ready` holds two records, `waiting` is due (so a schedule or
 * maintenance that wrongly ran would move something).
 */
class Seeded {
  readonly backend: Backend<unknown>;
  readonly #target: ConformanceTarget;
  readonly clock: { now: number };
  #before: { items: number | undefined; ready: TimelineInfo; waiting: TimelineInfo } | undefined;
  #dirty = false;

  private constructor(
    target: ConformanceTarget,
    backend: Backend<unknown>,
    clock: { now: number },
  ) {
    this.#target = target;
    this.backend = backend;
    this.clock = clock;
  }

  static readonly records: readonly TimelineRecord[] = [
    { key: 'b', value: { n: 2 }, timestamp: EPOCH - 1 },
    { key: 'a', value: 'one', timestamp: EPOCH - 2 },
  ];

  static async create(target: ConformanceTarget): Promise<Seeded> {
    const clock = { now: EPOCH };
    const backend = await target.create({
      minimumDelay: 100,
      incrementDelay: 0,
      clock: () => clock.now,
    });
    const seeded = new Seeded(target, backend, clock);
    await seeded.#seed();
    return seeded;
  }

  async #seed(): Promise<void> {
    const { backend, clock } = this;
    for (const key of ['ready', 'waiting', 'new']) await backend.delete(key);
    clock.now = EPOCH;
    await backend.add('waiting', { key: 'w', value: 1, timestamp: EPOCH });
    await backend.digest('waiting', () => undefined);
    await backend.add('waiting', { key: 'w2', value: 2, timestamp: EPOCH });
    for (const r of [...Seeded.records].reverse()) await backend.add('ready', r);
    clock.now += 1_000;
    this.#before = await this.#snapshot();
    expect(this.#before.waiting).toMatchObject({ state: 'waiting', size: 1 });
    expect(this.#before.ready).toMatchObject({ state: 'ready', size: 2 });
  }

  /**
   * Runs one fuzzed input. After an input that failed (and may have written
   * something), the seed is rebuilt first, so that shrinking sees a clean
   * store and reports the input that really fails.
   */
  async run(body: () => Promise<void>): Promise<void> {
    if (this.#dirty) await this.#seed();
    this.#dirty = true;
    await body();
    this.#dirty = false;
  }

  async #snapshot() {
    return {
      items:
        this.#target.storedItems === false
          ? undefined
          : await storedItemsOf(this.#target, this.backend),
      ready: strip(await this.backend.inspect('ready')),
      waiting: strip(await this.backend.inspect('waiting')),
    };
  }

  /** Asserts nothing changed since the seed: stored items, both timelines. */
  async expectUnchanged(what: string): Promise<void> {
    expect(await this.#snapshot(), `after ${what}`).toEqual(this.#before);
  }

  /** The seeded records are still there, whole, and the lease is free. */
  async expectSeedIntact(): Promise<void> {
    expect(await this.backend.digest('ready', (records) => [...records])).toEqual(Seeded.records);
  }

  async destroy(): Promise<void> {
    await (this.#target.destroy ?? ((b: Backend<unknown>) => b.close()))(this.backend);
  }
}

async function withSeeded(target: ConformanceTarget, fn: (s: Seeded) => Promise<void>) {
  const seeded = await Seeded.create(target);
  try {
    await fn(seeded);
    await seeded.expectSeedIntact();
  } finally {
    await seeded.destroy();
  }
}

// ---------------------------------------------------------------- the suite

/**
 * Registers input-fuzzing tests for `target`: fast-check throws keys, records,
 * values and options at and past every limit at the backend. Each invalid
 * input must get its typed error and write nothing (checked with
 * `target.storedItems` and `inspect`); each valid-but-nasty key or value must
 * work and read back exactly. A failure prints the shrunk input and the seed
 * (`DIGESTS_SEED=<seed>` replays it).
 *
 * @example
 * ```ts
 * import { runInputFuzzing } from '@digests/conformance';
 * import { MemoryBackend } from '@digests/memory';
 *
 * runInputFuzzing(
 *   {
 *     name: 'memory',
 *     create: async (options) => new MemoryBackend(options),
 *      *   },
 *   { numRuns: 200 },
 * );
 * ```
 */
export function runInputFuzzing(kitTarget: KitTarget, options: InputFuzzingOptions = {}): void {
  const target = backendTarget(kitTarget);
  const { numRuns, seed } = propertyRuns(`${target.name} input fuzzing`, options, 100);
  const timeout = options.timeout ?? 120_000;
  const parameters = { numRuns, seed };

  describe(`${target.name} input fuzzing (seed ${seed})`, () => {
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

    it(
      'nasty but valid keys and values work, read back exactly and never share storage',
      async () => {
        const clock = { now: EPOCH };
        const backend = await target.create({ clock: () => clock.now });
        try {
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
        } finally {
          await (target.destroy ?? ((b: Backend<unknown>) => b.close()))(backend);
        }
      },
      timeout,
    );

    it(
      'huge values (1–5 MB) work and read back exactly',
      async () => {
        const clock = { now: EPOCH };
        const backend = await target.create({ clock: () => clock.now });
        try {
          await fc.assert(
            fc.asyncProperty(
              fc.integer({ min: 1_000_000, max: 5_000_000 }),
              fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
              fc.boolean(),
              async (length, chunk, nested) => {
                const text = chunk.repeat(Math.ceil(length / chunk.length));
                const value = nested ? { text, list: [text.slice(0, 1_000), 1] } : text;
                fc.pre(
                  options.maxValueSize === undefined ||
                    Buffer.byteLength(JSON.stringify(value), 'utf8') <= options.maxValueSize,
                );
                await backend.add('huge', { key: 'big', value, timestamp: clock.now });
                await backend.add('huge', { key: 'small', value: 1, timestamp: clock.now - 1 });
                const got = await backend.digest('huge', (records) => [...records]);
                expect(got.map((r) => r.key)).toEqual(['big', 'small']);
                expect(got[0]?.value).toEqual(value);
                await backend.delete('huge');
              },
            ),
            { ...parameters, numRuns: Math.min(numRuns, 4) },
          );
        } finally {
          await (target.destroy ?? ((b: Backend<unknown>) => b.close()))(backend);
        }
      },
      timeout,
    );
  });
}
