import type { AddOptions, DigestOptions } from '../backend.js';
import { ConfigurationError } from '../errors.js';
import { checkAddOptions } from '../input.js';
import { assertValidKey, assertValidRecord } from '../keys.js';
import { delay, positiveInteger } from '../options.js';

/**
 * The checks of `add` a container can make without a codec: the key, the
 * record and the per-call options. A container runs them before writing to
 * any inner backend, so bad input never reaches one store and not another.
 *
 * @example
 * ```ts
 * async add(key, record, options) {
 *   checkAddInput(key, record, options);
 *   return this.#primary.add(key, record, options);
 * }
 * ```
 */
export function checkAddInput(
  key: unknown,
  record: unknown,
  options: AddOptions | undefined,
): void {
  assertValidKey(key);
  assertValidRecord(record);
  checkAddOptions(options);
}

/**
 * The checks of `digest` a container makes before opening any inner digest:
 * the key, the function and the per-call options (`minimumDelay`, `limit`).
 *
 * @example
 * ```ts
 * checkDigestInput(key, fn, options); // throws InvalidKeyError / ConfigurationError
 * ```
 */
export function checkDigestInput(
  key: unknown,
  fn: unknown,
  options: DigestOptions | undefined,
): asserts key is string {
  assertValidKey(key);
  if (typeof fn !== 'function') throw new ConfigurationError('digest needs a function');
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ConfigurationError('digest options must be an object');
  }
  delay(options?.minimumDelay, 'minimumDelay', 0);
  positiveInteger(options?.limit, 'limit');
}

/**
 * The checks of `remove` and `deleteQuarantined`: a valid timeline key and
 * an array of valid record keys (optional for `deleteQuarantined`: all).
 *
 * @example
 * ```ts
 * checkRecordKeys('mail:p:1', ['e1', 'e2'], 'remove');
 * ```
 */
export function checkRecordKeys(
  key: unknown,
  recordKeys: unknown,
  operation: 'remove' | 'deleteQuarantined',
): void {
  assertValidKey(key);
  if (recordKeys === undefined && operation === 'deleteQuarantined') return;
  if (!Array.isArray(recordKeys)) {
    throw new ConfigurationError(`${operation} needs an array of record keys`);
  }
  for (const recordKey of recordKeys) assertValidKey(recordKey, 'record key');
}
