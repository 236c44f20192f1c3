import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Backend, TimelineInfo, TimelineRecord } from '../backend.js';
import {
  CodecError,
  ConfigurationError,
  DigestsError,
  InvalidKeyError,
  InvalidRecordError,
} from '../errors.js';
import { MAX_KEY_LENGTH } from '../keys.js';
import type { BackendOptions } from '../options.js';
import { EPOCH } from './harness.js';
import { UNUSUAL_KEYS } from './keys.js';
import type { ConformanceTarget } from './target.js';

/** Options of {@link runInputFuzzing}. */
export interface InputFuzzingOptions {
  /** Inputs per property (default 100; huge values use at most 4). */
  readonly numRuns?: number;
  /** fast-check seed; default `DIGESTS_FC_SEED` from the environment, else a fixed one. */
  readonly seed?: number;
  /** Timeout per property in ms (default 120 000). */
  readonly timeout?: number;
}

const DEFAULT_SEED = 20_240_708;

// ---------------------------------------------------------------- arbitraries

const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Strings of any UTF-16 units, lone surrogates included. */
const anyUnits = (maxLength: number) => fc.string({ unit: anyUnit, maxLength });

/** A string with a lone surrogate somewhere (never accidentally a valid pair). */
const withLoneSurrogate = fc
  .tuple(fc.string({ maxLength: 20 }), surrogate, fc.string({ maxLength: 20 }))
  .map(([before, lone, after]) => `${before}${lone}${after}`)
  .filter((key) => !key.isWellFormed());

class Opaque {
  readonly n = 1;
}

/**
 * Timeline or record keys every backend must reject with `InvalidKeyError`:
 * empty, longer than 1024 units, with a lone surrogate, or not a string.
 */
export const invalidKey: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(''),
  fc.integer({ min: MAX_KEY_LENGTH + 1, max: 5_000 }).map((n) => 'k'.repeat(n)),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 200 }))
    .map(([s, extra]) => s.repeat(Math.ceil((MAX_KEY_LENGTH + 1 + extra) / s.length))),
  fc.constant(`${'😀'.repeat(512)}x`),
  withLoneSurrogate,
  fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 2 }),
    fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    fc.string({ minLength: 1 }).map((s) => Symbol(s)),
    fc.string({ minLength: 1 }).map((s) => new String(s)),
    fc.constant(() => 'key'),
  ),
);

/**
 * Keys every backend must accept and keep apart: NUL, braces, colons, emoji,
 * exactly 1024 units, and arbitrary well-formed text.
 */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...UNUSUAL_KEYS),
  fc
    .array(
      fc.constantFrom('\u0000', '{', '}', ':', '😀', 'a', ' ', '\\', '*', 'é', '\uffff', '%'),
      {
        minLength: 1,
        maxLength: 12,
      },
    )
    .map((parts) => parts.join('')),
  fc
    .string({ minLength: 1, maxLength: 8 })
    .map((s) => s.repeat(MAX_KEY_LENGTH).slice(0, MAX_KEY_LENGTH)),
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 40 })
    .filter((s) => s.length <= MAX_KEY_LENGTH),
  anyUnits(40).filter((s) => s.length > 0 && s.isWellFormed()),
);

/** Two different nasty keys. */
const twoKeys = fc.tuple(nastyKey, nastyKey).filter(([a, b]) => a !== b);

/** Values JSON represents faithfully (lone surrogates and NUL in strings included). */
export const faithfulValue: fc.Arbitrary<unknown> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
    anyUnits(30),
    fc.dictionary(anyUnits(6), anyUnits(6), { maxKeys: 3 }),
  )
  // A JSON round trip normalises what JSON cannot tell apart (-0 and 0).
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

/** Where a poison sits: wrapped in objects and arrays, `depth` levels down. */
type Wrap =
  | { readonly kind: 'object'; readonly key: string; readonly extra: Record<string, unknown> }
  | { readonly kind: 'array'; readonly index: number; readonly extra: unknown[] };

const POISONS = [
  'function',
  'symbol',
  'bigint',
  'NaN',
  'Infinity',
  '-Infinity',
  'Map',
  'Set',
  'class instance',
  'typed array',
  'circular',
  'undefined in an array',
] as const;

function poison(kind: (typeof POISONS)[number]): unknown {
  switch (kind) {
    case 'function':
      return () => 1;
    case 'symbol':
      return Symbol('s');
    case 'bigint':
      return 10n;
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    case 'Map':
      return new Map([['a', 1]]);
    case 'Set':
      return new Set([1]);
    case 'class instance':
      return new Opaque();
    case 'typed array':
      return new Uint8Array([1, 2]);
    case 'circular':
      return {};
    case 'undefined in an array':
      return [1, undefined, 2];
  }
}

/** Builds a value with the poison `kind` nested under `wraps` (outermost first). */
function poisoned(kind: (typeof POISONS)[number], wraps: readonly Wrap[]): unknown {
  const leaf = poison(kind);
  let value: unknown = leaf;
  for (const wrap of [...wraps].reverse()) {
    if (wrap.kind === 'object') value = { ...wrap.extra, [wrap.key]: value };
    else {
      const array = [...wrap.extra];
      array.splice(Math.min(wrap.index, array.length), 0, value);
      value = array;
    }
  }
  // The innermost object points back at the root: circular at any depth.
  if (kind === 'circular') (leaf as Record<string, unknown>).back = value;
  return value;
}

const json = fc.jsonValue({ maxDepth: 1 });
const wrap: fc.Arbitrary<Wrap> = fc.oneof(
  fc.record({
    kind: fc.constant('object' as const),
    key: fc.string({ maxLength: 4 }),
    extra: fc.dictionary(fc.string({ maxLength: 4 }), json, { maxKeys: 2 }),
  }),
  fc.record({
    kind: fc.constant('array' as const),
    index: fc.nat(3),
    extra: fc.array(json, { maxLength: 3 }),
  }),
);

/**
 * Values the default JSON codec must reject with `CodecError`: a function,
 * symbol, BigInt, non-finite number, Map/Set/class instance, typed array,
 * circular reference or `undefined` array item, nested up to 6 levels deep.
 */
export const unencodableValue: fc.Arbitrary<{ kind: string; value: unknown }> = fc
  .tuple(fc.constantFrom(...POISONS), fc.array(wrap, { maxLength: 6 }))
  .map(([kind, wraps]) => ({ kind, depth: wraps.length, value: poisoned(kind, wraps) }));

const finiteTimestamp = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .map((t) => (Object.is(t, -0) ? 0 : t));

/** Records every backend must reject with `InvalidRecordError` (their keys are valid). */
export const malformedRecord: fc.Arbitrary<unknown> = fc.oneof(
  fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(() => 1),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  ),
  fc.record({ key: fc.constant('r'), timestamp: finiteTimestamp }),
  fc.record({ key: fc.constant('r'), value: fc.constant(undefined), timestamp: finiteTimestamp }),
  fc.record(
    {
      key: fc.constant('r'),
      value: faithfulValue,
      timestamp: fc.oneof(
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        fc.constantFrom(null, undefined, '1', true, 1n, [1], { t: 1 }),
        fc.integer().map(String),
      ),
    },
    { requiredKeys: ['key', 'value'] },
  ),
);

const badNumber = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.constantFrom('5', true, 5n, [5], { n: 5 }),
);
const badDelay = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
  badNumber,
  fc.constant(null),
);

/**
 * Backend options every backend must reject with `ConfigurationError` at
 * construction: each option out of range or of the wrong type.
 */
export const invalidBackendOptions: fc.Arbitrary<BackendOptions<unknown>> = fc
  .tuple(
    fc.record(
      {
        minimumDelay: fc.nat(1_000),
        incrementDelay: fc.nat(1_000),
        maximumDelay: fc.nat(10_000),
      },
      { requiredKeys: [] },
    ),
    fc.oneof(
      fc
        .tuple(fc.constantFrom('minimumDelay', 'incrementDelay', 'maximumDelay'), badDelay)
        .map(([name, bad]) => ({ [name]: bad })),
      fc
        .oneof(
          fc.integer({ max: 0 }),
          fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)),
          fc.constant(Number.MAX_SAFE_INTEGER + 2),
          badNumber,
          fc.constant(null),
        )
        .map((capacity) => ({ capacity })),
      fc.double({ min: 0, max: 1, noNaN: true }).map((truncationChance) => ({ truncationChance })),
      fc
        .tuple(
          fc.integer({ min: 1, max: 100 }),
          fc.oneof(
            fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
            fc.double({ min: 1.000_001, noNaN: true }),
            badNumber,
            fc.constant(null),
          ),
        )
        .map(([capacity, truncationChance]) => ({ capacity, truncationChance })),
      fc
        .tuple(
          fc.nat(10_000),
          fc.oneof(fc.nat(10_000), fc.integer({ max: 0 }), badNumber, fc.constant(null)),
        )
        .map(([maximumDelay, ttl]) => ({
          maximumDelay,
          ttl: typeof ttl === 'number' && Number.isFinite(ttl) ? Math.min(ttl, maximumDelay) : ttl,
        })),
      fc
        .oneof(fc.integer({ max: 0 }), fc.constant(-0.5), badNumber)
        .map((leaseDuration) => ({ leaseDuration })),
      fc
        .oneof(
          fc.constant({}),
          fc.constant({ encode: () => '' }),
          fc.constant({ decode: () => 1 }),
          fc.constant({ encode: 1, decode: 2 }),
          fc.string(),
          fc.integer(),
        )
        .map((codec) => ({ codec })),
      fc.oneof(fc.integer(), fc.string(), fc.constant({ now: 1 })).map((clock) => ({ clock })),
    ),
  )
  .map(([valid, bad]) => ({ ...valid, ...bad }) as BackendOptions<unknown>);

/** One call with a bad per-call option or deadline; it must reject `ConfigurationError`. */
type BadCall =
  | { readonly op: 'add'; readonly options: Record<string, unknown> }
  | { readonly op: 'digest'; readonly options?: Record<string, unknown>; readonly fn?: unknown }
  | { readonly op: 'schedule'; readonly deadline: unknown; readonly chunkSize?: unknown }
  | { readonly op: 'maintenance'; readonly deadline: unknown };

const badDeadline = fc.oneof(
  fc.constant(Number.NaN),
  fc.constantFrom('5', null, undefined, true, 5n, [5], { t: 5 }),
);
const badCall: fc.Arbitrary<BadCall> = fc.oneof(
  fc
    .tuple(fc.constantFrom('incrementDelay', 'maximumDelay'), badDelay)
    .map(([name, bad]) => ({ op: 'add' as const, options: { [name]: bad } })),
  badDelay.map((bad) => ({ op: 'digest' as const, options: { minimumDelay: bad } })),
  fc.constantFrom('not a function', 1, null, {}, []).map((fn) => ({ op: 'digest' as const, fn })),
  badDeadline.map((deadline) => ({ op: 'schedule' as const, deadline })),
  fc
    .oneof(
      fc.integer({ max: 0 }),
      fc.constantFrom(1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', null),
    )
    .map((chunkSize) => ({ op: 'schedule' as const, deadline: EPOCH * 2, chunkSize })),
  badDeadline.map((deadline) => ({ op: 'maintenance' as const, deadline })),
);

// ---------------------------------------------------------------- helpers

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
      items: await this.#target.storedItems?.(this.backend),
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
 * (`DIGESTS_FC_SEED=<seed>` replays it).
 *
 * @example
 * ```ts
 * import { runInputFuzzing } from '@digests/core/conformance';
 * import { MemoryBackend } from '@digests/memory';
 *
 * runInputFuzzing(
 *   {
 *     name: 'memory',
 *     create: async (options) => new MemoryBackend(options),
 *     storedItems: async (backend) => (backend as MemoryBackend).storedItems,
 *   },
 *   { numRuns: 200 },
 * );
 * ```
 */
export function runInputFuzzing(
  target: ConformanceTarget,
  options: InputFuzzingOptions = {},
): void {
  const numRuns = Number(process.env.DIGESTS_FC_RUNS ?? options.numRuns ?? 100);
  const seed = options.seed ?? Number(process.env.DIGESTS_FC_SEED ?? DEFAULT_SEED);
  const timeout = options.timeout ?? 120_000;
  const parameters = { numRuns, seed };

  describe(`${target.name} input fuzzing (seed ${seed})`, () => {
    it(
      'invalid timeline keys reject InvalidKeyError in every operation and write nothing',
      () =>
        withSeeded(target, async (s) => {
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
        }),
      timeout,
    );

    it(
      'invalid record keys reject InvalidKeyError and write nothing',
      () =>
        withSeeded(target, async (s) => {
          await fc.assert(
            fc.asyncProperty(
              invalidKey,
              fc.constantFrom('ready', 'waiting', 'new'),
              (key, timeline) =>
                s.run(async () => {
                  const bad = { key, value: 1, timestamp: s.clock.now } as TimelineRecord;
                  const error = await rejection(() => s.backend.add(timeline, bad));
                  expect(error, `record key ${describeInput(key)}`).toBeInstanceOf(InvalidKeyError);
                  await s.expectUnchanged(`add(${timeline}, record key ${describeInput(key)})`);
                }),
            ),
            parameters,
          );
        }),
      timeout,
    );

    it(
      'malformed records reject InvalidRecordError and write nothing',
      () =>
        withSeeded(target, async (s) => {
          await fc.assert(
            fc.asyncProperty(
              malformedRecord,
              fc.constantFrom('ready', 'waiting', 'new'),
              (bad, timeline) =>
                s.run(async () => {
                  const error = await rejection(() =>
                    s.backend.add(timeline, bad as TimelineRecord),
                  );
                  expect(error, describeInput(bad)).toBeInstanceOf(InvalidRecordError);
                  await s.expectUnchanged(`add(${timeline}, ${describeInput(bad)})`);
                }),
            ),
            parameters,
          );
        }),
      timeout,
    );

    it(
      'values JSON cannot represent faithfully, nested anywhere, reject CodecError and write nothing',
      () =>
        withSeeded(target, async (s) => {
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
        }),
      timeout,
    );

    it(
      'invalid per-call options and deadlines reject ConfigurationError and change nothing',
      () =>
        withSeeded(target, async (s) => {
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
        }),
      timeout,
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
                if (target.storedItems) expect(await target.storedItems(backend)).toBe(0);
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
