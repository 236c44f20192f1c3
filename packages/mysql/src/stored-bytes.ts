import { createHash } from 'node:crypto';
import type { EncodedValue, StoredRecord } from '@digests/core';

/**
 * A key as the tables hold it: its UTF-8 bytes, and the SHA-256 of those
 * bytes that rows are found by. Valid keys are well-formed UTF-16 (the front
 * rejects lone surrogates), so the bytes decode back to the same string.
 *
 * @example
 * ```ts
 * const { id, bytes } = storedKey('mail:p:1');
 * ```
 */
export interface StoredKey {
  readonly id: Buffer;
  readonly bytes: Buffer;
}

/**
 * The bytes and id of `key`.
 *
 * @example
 * ```ts
 * storedKey('a\u0000b').bytes.length; // 3
 * ```
 */
export function storedKey(key: string): StoredKey {
  const bytes = Buffer.from(key, 'utf8');
  return { id: createHash('sha256').update(bytes).digest(), bytes };
}

/**
 * An encoded value as a blob plus whether it was text, so it comes back as
 * the same type the codec produced.
 *
 * @example
 * ```ts
 * const [blob, isText] = storedValue('{"a":1}'); // [Buffer, 1]
 * ```
 */
export function storedValue(value: EncodedValue): [Buffer, 0 | 1] {
  return typeof value === 'string'
    ? [Buffer.from(value, 'utf8'), 1]
    : [Buffer.from(value.buffer, value.byteOffset, value.byteLength), 0];
}

/** A records or quarantine row as mysql2 returns it. */
export interface RecordRow {
  readonly record_key: Buffer;
  readonly value: Buffer;
  readonly value_is_text: number;
  readonly timestamp: number;
}

/**
 * The {@link StoredRecord} a row holds. Binary values come back as a plain
 * `Uint8Array` (not a `Buffer`), the type codecs produce.
 *
 * @example
 * ```ts
 * const records = rows.map(recordOf);
 * ```
 */
export function recordOf(row: RecordRow): StoredRecord {
  const { value } = row;
  return {
    key: row.record_key.toString('utf8'),
    timestamp: row.timestamp,
    value:
      row.value_is_text === 1
        ? value.toString('utf8')
        : new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)),
  };
}
