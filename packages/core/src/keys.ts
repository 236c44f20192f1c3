import type { TimelineRecord } from './backend.js';
import { InvalidKeyError, InvalidRecordError } from './errors.js';

/** The longest key, in UTF-16 code units. */
export const MAX_KEY_LENGTH = 1024;

/**
 * Throws {@link InvalidKeyError} unless `key` is a non-empty, well-formed
 * (no lone surrogates) string of at most 1024 UTF-16 units. Colons, braces,
 * spaces, NUL and emoji are all fine.
 *
 * @example
 * ```ts
 * assertValidKey('mail:p:1'); // ok
 * assertValidKey('');         // throws InvalidKeyError
 * ```
 */
export function assertValidKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string') {
    throw new InvalidKeyError(`${what} must be a string, got ${describe(key)}`);
  }
  if (key.length === 0) throw new InvalidKeyError(`${what} must not be empty`);
  if (key.length > MAX_KEY_LENGTH) {
    throw new InvalidKeyError(
      `${what} is ${key.length} UTF-16 units long; the limit is ${MAX_KEY_LENGTH}`,
    );
  }
  // Lone surrogates cannot be stored as UTF-8 faithfully: two different keys
  // would collapse into one U+FFFD in Redis or PostgreSQL.
  if (!key.isWellFormed()) throw new InvalidKeyError(`${what} contains a lone surrogate`);
}

/**
 * Throws unless `record` is `{ key, value, timestamp }` with a valid key, a
 * defined value and a finite timestamp. The value itself is checked by the codec.
 *
 * @example
 * ```ts
 * assertValidRecord({ key: 'e1', value: 1, timestamp: Date.now() }); // ok
 * assertValidRecord({ key: 'e1', value: 1, timestamp: NaN });       // throws InvalidRecordError
 * ```
 */
export function assertValidRecord<V>(record: unknown): asserts record is TimelineRecord<V> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new InvalidRecordError(`a record must be an object, got ${describe(record)}`);
  }
  const { key, value, timestamp } = record as Record<string, unknown>;
  assertValidKey(key, 'record key');
  if (value === undefined) throw new InvalidRecordError('record value must not be undefined');
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new InvalidRecordError(
      `record timestamp must be a finite number, got ${describe(timestamp)}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  return typeof value;
}
