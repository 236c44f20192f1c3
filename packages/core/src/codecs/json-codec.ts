import { CodecError } from '../errors.js';
import type { Codec, EncodedValue } from './codec.js';
import { assertFaithfulJson } from './faithful-json.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads text out of what a store handed back. */
export function encodedText(data: EncodedValue): string {
  return typeof data === 'string' ? data : decoder.decode(data);
}

/**
 * The default codec: JSON text. Rejects values JSON cannot represent
 * faithfully (see {@link assertFaithfulJson}); decoding is `JSON.parse`,
 * which never executes data.
 *
 * @example
 * ```ts
 * const codec = new JsonCodec<{ n: number }>();
 * codec.decode(codec.encode({ n: 1 })); // { n: 1 }
 * ```
 */
export class JsonCodec<V = unknown> implements Codec<V> {
  readonly name: string = 'json';

  encode(value: V): EncodedValue {
    assertFaithfulJson(value);
    try {
      return JSON.stringify(value);
    } catch (cause) {
      throw new CodecError(`cannot encode value as JSON: ${(cause as Error).message}`, { cause });
    }
  }

  decode(data: EncodedValue): V {
    try {
      return JSON.parse(encodedText(data)) as V;
    } catch (cause) {
      throw new CodecError(`stored value is not valid JSON: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
}
