import type { ListEntry, ListOptions } from './backend.js';
import { ConfigurationError } from './errors.js';
import { positiveInteger } from './options.js';

/** Entries per `list` page when the caller does not say. */
export const DEFAULT_LIST_LIMIT = 100;

/** The most entries one `list` page may hold. */
export const MAX_LIST_LIMIT = 10_000;

/** A position in schedule order: strictly after this score and key. */
export interface ListPosition {
  readonly score: number;
  readonly key: string;
}

/**
 * The opaque `next` cursor of a page that ends at `last`.
 *
 * @example
 * ```ts
 * const next = listCursor({ key: 'mail:p:1', score: 1_700_000_000_000 });
 * ```
 */
export function listCursor(last: Pick<ListEntry, 'key' | 'score'>): string {
  return Buffer.from(JSON.stringify([last.score, last.key]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by {@link listCursor}; throws `ConfigurationError` for
 * anything else.
 *
 * @example
 * ```ts
 * const { score, key } = parseListCursor(page.next!);
 * ```
 */
export function parseListCursor(cursor: unknown): ListPosition {
  if (typeof cursor !== 'string' || cursor === '') {
    throw new ConfigurationError('list: after must be the next cursor of a previous page');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new ConfigurationError('list: after is not a cursor this backend made', { cause });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'number' ||
    !Number.isFinite(parsed[0]) ||
    typeof parsed[1] !== 'string'
  ) {
    throw new ConfigurationError('list: after is not a cursor this backend made');
  }
  return { score: parsed[0], key: parsed[1] };
}

/**
 * Checks `list` options and applies the defaults.
 *
 * @example
 * ```ts
 * const { state, after, limit } = checkListOptions({ state: 'ready' }); // limit 100
 * ```
 */
export function checkListOptions(options: ListOptions | undefined): {
  readonly state: 'waiting' | 'ready' | undefined;
  readonly after: ListPosition | undefined;
  readonly limit: number;
} {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ConfigurationError('list options must be an object');
  }
  const state = options?.state;
  if (state !== undefined && state !== 'waiting' && state !== 'ready') {
    throw new ConfigurationError(`list: state must be 'waiting' or 'ready', got ${String(state)}`);
  }
  const limit = positiveInteger(options?.limit, 'limit') ?? DEFAULT_LIST_LIMIT;
  if (limit > MAX_LIST_LIMIT) {
    throw new ConfigurationError(`list: limit must be at most ${MAX_LIST_LIMIT}, got ${limit}`);
  }
  const after = options?.after === undefined ? undefined : parseListCursor(options.after);
  return { state, after, limit };
}
