import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { CodecError } from '../errors.js';
import type { Codec, EncodedValue } from './codec.js';
import { encodedText, JsonCodec } from './json-codec.js';

const RAW = 0x00;
const DEFLATE = 0x01;

/** Options of {@link CompressedJsonCodec}. */
export interface CompressedJsonCodecOptions {
  /** Values whose JSON is shorter than this many bytes are stored uncompressed. Default 256. */
  readonly threshold?: number;
  /** zlib level, 1 (fast) to 9 (small). Default 6. */
  readonly level?: number;
}

/**
 * JSON, deflated when it is large enough to gain. Output is bytes: one header
 * byte (0 = raw UTF-8 JSON, 1 = raw deflate) followed by the payload.
 *
 * @example
 * ```ts
 * const backend = new MemoryBackend({ codec: new CompressedJsonCodec({ threshold: 512 }) });
 * ```
 */
export class CompressedJsonCodec<V = unknown> implements Codec<V> {
  readonly name = 'json+deflate';
  readonly #json = new JsonCodec<V>();
  readonly #threshold: number;
  readonly #level: number;

  constructor(options: CompressedJsonCodecOptions = {}) {
    this.#threshold = options.threshold ?? 256;
    this.#level = options.level ?? 6;
  }

  encode(value: V): EncodedValue {
    const json = Buffer.from(this.#json.encode(value) as string, 'utf8');
    if (json.length < this.#threshold) return Buffer.concat([Buffer.of(RAW), json]);
    return Buffer.concat([Buffer.of(DEFLATE), deflateRawSync(json, { level: this.#level })]);
  }

  decode(data: EncodedValue): V {
    if (typeof data === 'string') return this.#json.decode(data);
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let json: Buffer;
    try {
      if (bytes[0] === RAW) json = bytes.subarray(1);
      else if (bytes[0] === DEFLATE) json = inflateRawSync(bytes.subarray(1));
      else throw new Error(`unknown header byte ${String(bytes[0])}`);
    } catch (cause) {
      throw new CodecError(`stored value is not compressed JSON: ${(cause as Error).message}`, {
        cause,
      });
    }
    return this.#json.decode(encodedText(json));
  }
}
