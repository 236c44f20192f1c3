import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  assertFaithfulJson,
  CodecError,
  CompressedJsonCodec,
  ConfigurationError,
  InvalidRecordError,
  JsonCodec,
} from '../../src/index.js';

describe('JsonCodec', () => {
  const codec = new JsonCodec();

  it('round-trips plain data from strings and from bytes', () => {
    const value = { a: [1, 'two', null, { b: true }], s: 'ünï 😀' };
    const encoded = codec.encode(value);
    expect(codec.decode(encoded)).toEqual(value);
    expect(codec.decode(Buffer.from(encoded as string))).toEqual(value);
  });

  it.each([
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a BigInt', 1n],
    ['NaN', Number.NaN],
    ['a Map', new Map()],
    ['a Set', new Set()],
    ['a class instance', new (class Point {})()],
    ['undefined in an array', [undefined]],
    ['a typed array', new Uint8Array(2)],
  ])('rejects %s with CodecError (an InvalidRecordError)', (_, value) => {
    expect(() => codec.encode(value)).toThrow(CodecError);
    expect(() => codec.encode(value)).toThrow(InvalidRecordError);
  });

  it('rejects circular structures but accepts shared references', () => {
    const shared = { x: 1 };
    expect(() => assertFaithfulJson({ a: shared, b: shared })).not.toThrow();
    const loop: Record<string, unknown> = {};
    loop.loop = loop;
    expect(() => codec.encode(loop)).toThrow(/circular/);
  });

  it('accepts objects with toJSON (Date) and drops undefined properties', () => {
    const date = new Date(0);
    expect(codec.decode(codec.encode({ date, gone: undefined }))).toEqual({
      date: date.toISOString(),
    });
  });

  it('never executes data when decoding', () => {
    expect(() => codec.decode('(() => { throw new Error("ran") })()')).toThrow(CodecError);
    expect(codec.decode('{"__proto__": {"polluted": true}}')).not.toHaveProperty('polluted', true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports invalid stored bytes as CodecError', () => {
    expect(() => codec.decode(Buffer.from([0xff, 0xfe]))).toThrow(CodecError);
  });
});

describe('CompressedJsonCodec', () => {
  it('stores small values raw and large ones deflated, both readable', () => {
    const codec = new CompressedJsonCodec({ threshold: 64 });
    const small = codec.encode({ a: 1 }) as Uint8Array;
    const large = codec.encode({ text: 'abc'.repeat(10_000) }) as Uint8Array;
    expect(small[0]).toBe(0);
    expect(large[0]).toBe(1);
    expect(large.byteLength).toBeLessThan(1_000);
    expect(codec.decode(small)).toEqual({ a: 1 });
    expect(codec.decode(large)).toEqual({ text: 'abc'.repeat(10_000) });
  });

  it('rejects corrupt payloads with CodecError', () => {
    const codec = new CompressedJsonCodec();
    expect(() => codec.decode(Buffer.from([1, 2, 3]))).toThrow(CodecError);
    expect(() => codec.decode(Buffer.from([9]))).toThrow(CodecError);
  });
});

describe('CompressedJsonCodec maxInflatedSize', () => {
  /** A deflated payload of `size` spaces followed by `0`: valid JSON, tiny stored. */
  function planted(size: number): Uint8Array {
    const json = Buffer.concat([Buffer.alloc(size, 0x20), Buffer.from('0')]);
    return Buffer.concat([Buffer.of(1), deflateRawSync(json, { level: 9 })]);
  }

  it('defaults to 64 MiB', () => {
    expect(new CompressedJsonCodec().maxInflatedSize).toBe(64 * 1024 * 1024);
  });

  it('decodes a value up to the limit, and refuses one that inflates past it', () => {
    const codec = new CompressedJsonCodec({ maxInflatedSize: 1024 * 1024 });
    expect(codec.decode(planted(1024 * 1024 - 1))).toBe(0);
    const bomb = planted(8 * 1024 * 1024);
    expect(bomb.byteLength).toBeLessThan(16 * 1024);
    expect(() => codec.decode(bomb)).toThrow(CodecError);
    expect(() => codec.decode(bomb)).toThrow(/maxInflatedSize/);
  });

  it('never writes what it would refuse to read back', () => {
    const codec = new CompressedJsonCodec({ maxInflatedSize: 100 });
    expect(() => codec.encode({ text: 'x'.repeat(200) })).toThrow(CodecError);
    expect(codec.decode(codec.encode({ text: 'x'.repeat(50) }))).toEqual({ text: 'x'.repeat(50) });
  });

  it.each([
    [{ maxInflatedSize: 0 }],
    [{ maxInflatedSize: 1.5 }],
    [{ level: 10 }],
    [{ threshold: -1 }],
  ])('rejects %o with ConfigurationError', (options) => {
    expect(() => new CompressedJsonCodec(options)).toThrow(ConfigurationError);
  });
});
