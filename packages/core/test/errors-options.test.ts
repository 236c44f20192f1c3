import { describe, expect, it } from 'vitest';
import {
  assertValidKey,
  BackendUnavailableError,
  CodecError,
  ConfigurationError,
  DigestsError,
  InvalidKeyError,
  InvalidRecordError,
  InvalidStateError,
  LeaseConflictError,
  LeaseLostError,
  markDigestsError,
  resolveOptions,
} from '../src/index.js';

describe('errors', () => {
  it.each([
    [ConfigurationError, 'DIGESTS_CONFIGURATION'],
    [InvalidKeyError, 'DIGESTS_INVALID_KEY'],
    [InvalidRecordError, 'DIGESTS_INVALID_RECORD'],
    [CodecError, 'DIGESTS_CODEC'],
    [InvalidStateError, 'DIGESTS_INVALID_STATE'],
    [LeaseConflictError, 'DIGESTS_LEASE_CONFLICT'],
    [LeaseLostError, 'DIGESTS_LEASE_LOST'],
    [BackendUnavailableError, 'DIGESTS_BACKEND_UNAVAILABLE'],
  ])('%o extends DigestsError, carries cause, name and code', (Type, code) => {
    const cause = new Error('root');
    const error = new Type('message', { cause });
    expect(error).toBeInstanceOf(DigestsError);
    expect(error).toBeInstanceOf(Error);
    expect(error.cause).toBe(cause);
    expect(error.name).toBe(Type.name);
    expect(error.code).toBe(code);
  });

  it('subclass instanceof stays exact; branded foreign errors count as DigestsError', () => {
    expect(new InvalidKeyError('x')).not.toBeInstanceOf(InvalidRecordError);
    const aggregate = new AggregateError([], 'several');
    expect(aggregate).not.toBeInstanceOf(DigestsError);
    markDigestsError(aggregate);
    expect(aggregate).toBeInstanceOf(DigestsError);
  });
});

describe('resolveOptions', () => {
  it('applies the SPEC defaults', () => {
    const options = resolveOptions();
    expect(options).toMatchObject({
      minimumDelay: 300_000,
      incrementDelay: 30_000,
      maximumDelay: 1_800_000,
      leaseDuration: 30_000,
      capacity: undefined,
      ttl: undefined,
    });
    expect(options.clock).toBe(Date.now);
    expect(resolveOptions({ capacity: 8 }).truncationChance).toBe(1 / 8);
  });

  it.each([
    [{ minimumDelay: -1 }, /minimumDelay/],
    [{ capacity: 0 }, /capacity/],
    [{ truncationChance: 0.5 }, /truncationChance needs capacity/],
    [{ capacity: 2, truncationChance: 2 }, /truncationChance/],
    [{ ttl: 1_800_000 }, /ttl must be .* greater than maximumDelay/],
    [{ leaseDuration: 0 }, /leaseDuration/],
  ])('rejects %o with a message naming the option', (options, message) => {
    expect(() => resolveOptions(options)).toThrow(ConfigurationError);
    expect(() => resolveOptions(options)).toThrow(message);
  });
});

describe('assertValidKey', () => {
  it('accepts up to 1024 UTF-16 units, NUL and emoji; rejects lone surrogates', () => {
    expect(() => assertValidKey('x'.repeat(1024))).not.toThrow();
    expect(() => assertValidKey('\u0000😀{a}:b')).not.toThrow();
    expect(() => assertValidKey('x'.repeat(1025))).toThrow(/1025 UTF-16 units/);
    expect(() => assertValidKey('\ud83d')).toThrow(/lone surrogate/);
    expect(() => assertValidKey('')).toThrow(/empty/);
  });
});
