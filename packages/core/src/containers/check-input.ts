import type { AddOptions } from '../backend.js';
import { assertValidKey, assertValidRecord } from '../keys.js';
import { checkAddOptions } from '../input.js';

/**
 * The checks of `add` a container can make without a codec: the key, the
 * record and the per-call delays. A container runs them before writing to
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
