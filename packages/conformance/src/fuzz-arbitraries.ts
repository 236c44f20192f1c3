/**
 * The fast-check arbitraries of the input fuzzing group: invalid and nasty
 * keys, poisoned values, malformed records, bad options and bad calls.
 *
 * @module
 */

import type { BackendOptions } from '@digests/core';
import { MAX_KEY_LENGTH } from '@digests/core';
import fc from 'fast-check';
import { EPOCH } from './harness.js';
import { UNUSUAL_KEYS } from './keys.js';

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
export const twoKeys = fc.tuple(nastyKey, nastyKey).filter(([a, b]) => a !== b);

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

export const finiteTimestamp = fc
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
export const badCall: fc.Arbitrary<BadCall> = fc.oneof(
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
