import { ConfigurationError } from '@digests/core';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The longest table prefix: PostgreSQL truncates names past 63 bytes, and the prefix gets suffixes. */
export const MAX_PREFIX_LENGTH = 40;

/**
 * Throws {@link ConfigurationError} unless `value` is a plain SQL identifier
 * (letters, digits, `_`, not starting with a digit) of at most `maxLength`
 * characters. Names from options are only ever spliced into SQL after this
 * check, and then quoted.
 *
 * @example
 * ```ts
 * assertIdentifier('digests_', 'tablePrefix'); // ok
 * assertIdentifier('x"; drop', 'schema');      // throws ConfigurationError
 * ```
 */
export function assertIdentifier(
  value: unknown,
  what: string,
  maxLength = 63,
): asserts value is string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value) || value.length > maxLength) {
    throw new ConfigurationError(
      `${what} must be letters, digits and _ (not starting with a digit), at most ${maxLength} characters; got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Validates a table prefix: an identifier, or the empty string.
 *
 * @example
 * ```ts
 * assertTablePrefix('digests_'); // ok
 * assertTablePrefix('');         // ok: tables are named `timelines`, `records`
 * ```
 */
export function assertTablePrefix(value: unknown): asserts value is string {
  if (value === '') return;
  assertIdentifier(value, 'tablePrefix', MAX_PREFIX_LENGTH);
}

/**
 * Quotes a validated identifier for SQL text (DDL, function bodies).
 *
 * @example
 * ```ts
 * quoteIdentifier('digests_timelines'); // '"digests_timelines"'
 * ```
 */
export function quoteIdentifier(name: string): string {
  assertIdentifier(name, 'identifier', 63);
  return `"${name}"`;
}
