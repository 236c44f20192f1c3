import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { CodecError, ConfigurationError } from '../errors.js';
import type { Codec, EncodedValue } from './codec.js';
import { encodedText, JsonCodec } from './json-codec.js';

const RAW = 0x00;
const DEFLATE = 0x01;

/**
 * The default {@link CompressedJsonCodecOptions.maxInflatedSize}: 64 MiB.
 *
 * Why this size: a stored value a digest reads must not be able to take the
 * process down. Deflate expands up to about 1 000×, so a few megabytes
 * planted in a store (12 values of 400 KiB) would inflate to gigabytes and
 * kill the worker on every retry. 64 MiB is far above any notification
 * payload (values of a few KiB are the norm; the bench uses 1 KiB), yet one
 * over-limit value costs at most 64 MiB, briefly, before it is refused and
 * quarantined — a fraction of a default Node heap, and 1/8 of the longest
 * string V8 can build (2²⁹ − 24 units), so an accepted value always fits
 * `JSON.parse`.
 */
export const DEFAULT_MAX_INFLATED_SIZE = 64 * 1024 * 1024;

/** Options of {@link CompressedJsonCodec}. */
export interface CompressedJsonCodecOptions {
  /** Values whose JSON is shorter than this many bytes are stored uncompressed. Default 256. */
  readonly threshold?: number;
  /** zlib level, 0 (store) or 1 (fast) to 9 (small). Default 6. */
  readonly level?: number;
  /**
   * The largest JSON, in bytes, a value may be — checked when encoding, and
   * enforced while inflating, which stops at this size. A stored value over
   * it fails to decode with `CodecError` (a digest quarantines it) instead
   * of exhausting memory. Default {@link DEFAULT_MAX_INFLATED_SIZE} (64 MiB).
   */
  readonly maxInflatedSize?: number;
}

/**
 * JSON, deflated when it is large enough to gain. Output is bytes: one header
 * byte (0 = raw UTF-8 JSON, 1 = raw deflate) followed by the payload.
 * Inflating is bounded by `maxInflatedSize`, so a decompression bomb planted
 * in a store is refused (`CodecError`, then quarantined by the digest) and
 * never crashes the process.
 *
 * @example
 * ```ts
 * const backend = new MemoryBackend({
 *   codec: new CompressedJsonCodec({ threshold: 512, maxInflatedSize: 8 * 1024 * 1024 }),
 * });
 * ```
 */
export class CompressedJsonCodec<V = unknown> implements Codec<V> {
  readonly name = 'json+deflate';
  readonly #json = new JsonCodec<V>();
  readonly #threshold: number;
  readonly #level: number;
  readonly #maxInflatedSize: number;

  constructor(options: CompressedJsonCodecOptions = {}) {
    this.#threshold = integerOption(options.threshold, 'threshold', 0, 256);
    this.#level = integerOption(options.level, 'level', 0, 6, 9);
    this.#maxInflatedSize = integerOption(
      options.maxInflatedSize,
      'maxInflatedSize',
      1,
      DEFAULT_MAX_INFLATED_SIZE,
    );
  }

  /** The largest JSON (bytes) this codec writes or inflates. */
  get maxInflatedSize(): number {
    return this.#maxInflatedSize;
  }

  encode(value: V): EncodedValue {
    const json = Buffer.from(this.#json.encode(value) as string, 'utf8');
    // Never store what this codec would refuse to read back.
    if (json.length > this.#maxInflatedSize) {
      throw new CodecError(
        `the value's JSON is ${json.length} bytes; maxInflatedSize is ${this.#maxInflatedSize}`,
      );
    }
    if (json.length < this.#threshold) return Buffer.concat([Buffer.of(RAW), json]);
    return Buffer.concat([Buffer.of(DEFLATE), deflateRawSync(json, { level: this.#level })]);
  }

  decode(data: EncodedValue): V {
    if (typeof data === 'string') return this.#json.decode(data);
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let json: Buffer;
    try {
      if (bytes[0] === RAW) json = bytes.subarray(1);
      // zlib stops (ERR_BUFFER_TOO_LARGE) as soon as the output passes the limit.
      else if (bytes[0] === DEFLATE) {
        json = inflateRawSync(bytes.subarray(1), { maxOutputLength: this.#maxInflatedSize });
      } else throw new Error(`unknown header byte ${String(bytes[0])}`);
    } catch (cause) {
      const tooLarge = (cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new CodecError(
        tooLarge
          ? `stored value inflates past maxInflatedSize (${this.#maxInflatedSize} bytes)`
          : `stored value is not compressed JSON: ${(cause as Error).message}`,
        { cause },
      );
    }
    if (json.length > this.#maxInflatedSize) {
      throw new CodecError(
        `stored value is ${json.length} bytes of JSON; maxInflatedSize is ${this.#maxInflatedSize}`,
      );
    }
    return this.#json.decode(encodedText(json));
  }
}

function integerOption(
  value: unknown,
  name: string,
  minimum: number,
  fallback: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < minimum || (value as number) > maximum) {
    throw new ConfigurationError(
      `CompressedJsonCodec: ${name} must be an integer from ${minimum} to ${maximum}, got ${String(value)}`,
    );
  }
  return value as number;
}
