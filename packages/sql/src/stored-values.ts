import { createHash } from 'node:crypto';
import type { EncodedValue } from '@digests/core';

/**
 * A key as the tables hold it: its UTF-8 bytes (returned, ordered by) and a
 * 32-byte SHA-256 id of them (indexed, looked up by). PostgreSQL caps a btree
 * entry at 2704 bytes, and a valid key can take 3 KB of UTF-8, so keys
 * themselves are never in a unique index.
 */
export interface StoredKey {
  readonly bytes: Buffer;
  readonly id: Buffer;
}

/**
 * The stored form of a timeline or record key.
 *
 * @example
 * ```ts
 * const { bytes, id } = storedKey('mail:p:1'); // id.length === 32
 * ```
 */
export function storedKey(key: string): StoredKey {
  const bytes = keyBytes(key);
  return { bytes, id: createHash('sha256').update(bytes).digest() };
}

/**
 * A key as stored: its UTF-8 bytes. Keys are well-formed (core checks), so
 * the encoding is one-to-one and byte order is code-point order.
 *
 * @example
 * ```ts
 * keyBytes('mail:p:1'); // <Buffer 6d 61 69 6c …>
 * ```
 */
export function keyBytes(key: string): Buffer {
  return Buffer.from(key, 'utf8');
}

/**
 * A stored key read back.
 *
 * @example
 * ```ts
 * keyText(keyBytes('😀')); // '😀'
 * ```
 */
export function keyText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * An encoded value as stored: bytes, and whether the codec produced text.
 *
 * @example
 * ```ts
 * storedValue('{"a":1}'); // { value: <Buffer …>, value_is_text: 1 }
 * ```
 */
export function storedValue(value: EncodedValue): { value: Buffer; value_is_text: number } {
  return typeof value === 'string'
    ? { value: Buffer.from(value, 'utf8'), value_is_text: 1 }
    : { value: Buffer.from(value.buffer, value.byteOffset, value.byteLength), value_is_text: 0 };
}

/**
 * A stored value handed back to the codec as it produced it: text or bytes.
 *
 * @example
 * ```ts
 * encodedValue({ value: Buffer.from('1'), value_is_text: 1 }); // '1'
 * ```
 */
export function encodedValue(row: { value: Uint8Array; value_is_text: number }): EncodedValue {
  const bytes = Buffer.from(row.value.buffer, row.value.byteOffset, row.value.byteLength);
  return Number(row.value_is_text) === 1 ? bytes.toString('utf8') : new Uint8Array(bytes);
}
