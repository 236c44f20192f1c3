/** What a codec produces and a store keeps: text or bytes. */
export type EncodedValue = string | Uint8Array;

/**
 * Turns record values into something a store keeps and back. A codec must
 * never execute data (no `eval`, no revivers that construct code) and must
 * reject values it cannot represent faithfully with a `CodecError`.
 *
 * @example
 * ```ts
 * const upper: Codec<string> = {
 *   name: 'upper',
 *   encode: (value) => value.toUpperCase(),
 *   decode: (data) => (typeof data === 'string' ? data : new TextDecoder().decode(data)),
 * };
 * ```
 */
export interface Codec<V = unknown> {
  /** A short name, shown in errors and diagnostics. */
  readonly name: string;
  encode(value: V): EncodedValue;
  decode(data: EncodedValue): V;
}
