import { ConfigurationError, type PrefixedTables, prefixedTables } from '@digests/core';

/**
 * The tables of one MySQL store, all named after its prefix. The prefix is
 * checked once here, so the names can go into statements as identifiers.
 *
 * @example
 * ```ts
 * const names = tableNames('digests_'); // names.timelines === 'digests_timelines'
 * ```
 */
export type TableNames = PrefixedTables;

/** MySQL identifiers are at most 64 characters; the longest suffix is `migrations_lock`. */
const MAX_PREFIX = 40;

/**
 * Checks `prefix` (`[A-Za-z_][A-Za-z0-9_]*`, at most 40 characters, may be
 * empty) and names the tables after it. Throws `ConfigurationError`.
 *
 * @example
 * ```ts
 * tableNames('app_digests_').records; // 'app_digests_records'
 * ```
 */
export function tableNames(prefix: unknown = 'digests_'): TableNames {
  if (
    typeof prefix !== 'string' ||
    prefix.length > MAX_PREFIX ||
    !/^([A-Za-z_][A-Za-z0-9_]*)?$/.test(prefix)
  ) {
    throw new ConfigurationError(
      `tablePrefix must match [A-Za-z_][A-Za-z0-9_]* and be at most ${MAX_PREFIX} characters, got ${JSON.stringify(prefix)}`,
    );
  }
  return prefixedTables(prefix);
}
