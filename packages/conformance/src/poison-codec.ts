import type { Codec, EncodedValue } from '@digests/core';

/**
 * A JSON codec that stores `{ poison: true }` like any value but refuses to
 * decode it: the kit's way to plant an undecodable stored value in any
 * store without reaching into the store.
 *
 * @example
 * ```ts
 * const backend = new MemoryBackend({ codec: new PoisonCodec() });
 * await backend.add('k', { key: 'bad', value: POISON, timestamp: Date.now() });
 * ```
 */
export class PoisonCodec implements Codec<unknown> {
  readonly name = 'poison-json';

  encode(value: unknown): EncodedValue {
    return JSON.stringify(value);
  }

  decode(data: EncodedValue): unknown {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    const value: unknown = JSON.parse(text);
    if (isPoison(value)) throw new Error('this value is poison: it never decodes');
    return value;
  }
}

/**
 * The value {@link PoisonCodec} refuses to decode.
 *
 * @example
 * ```ts
 * await backend.add('k', { key: 'bad', value: POISON, timestamp: now });
 * ```
 */
export const POISON = Object.freeze({ poison: true });

/**
 * What {@link PoisonCodec} stores for {@link POISON}.
 *
 * @example
 * ```ts
 * expect(rawText((await backend.quarantined('k'))[0].value)).toBe(POISON_TEXT);
 * ```
 */
export const POISON_TEXT = JSON.stringify(POISON);

function isPoison(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { poison?: unknown }).poison === true
  );
}

/**
 * A raw quarantined value as text, whatever form the store hands it in.
 *
 * @example
 * ```ts
 * rawText(new TextEncoder().encode('{"poison":true}')); // '{"poison":true}'
 * ```
 */
export function rawText(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : new TextDecoder().decode(value);
}
