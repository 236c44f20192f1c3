import type { Backend } from '../backend.js';
import { ConfigurationError } from '../errors.js';
import {
  checkPeekOptions,
  comparePeekPositions,
  hasPeek,
  MAX_PEEK_LIMIT,
  type PeekedRecord,
  type PeekOptions,
  type PeekPage,
  type PeekPosition,
  peekCursor,
} from '../peek.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { Logger } from './logger.js';
import { unavailable } from './settle.js';

interface Source<V> {
  readonly index: number;
  readonly backend: Backend<V> & { peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> };
  readonly records: PeekedRecord<V>[];
  last: PeekPosition | undefined;
  exhausted: boolean;
}

/**
 * `peek` through a backend that wraps one other: the inner backend's, or a
 * `ConfigurationError` when it cannot peek.
 *
 * @example
 * ```ts
 * peek(key, options) { return peekThrough(this.#backend, key, options); }
 * ```
 */
export function peekThrough<V>(
  backend: Backend<V>,
  key: string,
  options?: PeekOptions,
): Promise<PeekPage<V>> {
  if (!hasPeek(backend)) {
    return Promise.reject(
      new ConfigurationError(`${backend.constructor?.name ?? 'the inner backend'} cannot peek`),
    );
  }
  return backend.peek(key, options);
}

/**
 * One page of a key's records across several inner backends, merged in peek
 * order (timestamp descending, record key descending, timeline before
 * snapshot). A record at the same position in several inner backends (the
 * copies of a poly) is shown once, the first inner backend's. Pages are
 * merged up to the point every inner page covers; an inner backend that
 * fails transiently is skipped (logged). The cursor is core's peek cursor,
 * handed to every inner backend.
 *
 * @example
 * ```ts
 * const page = await mergedPeek([primary, secondary], 'mail:p:1', { limit: 50 }, isTransient, logger);
 * ```
 */
export async function mergedPeek<V>(
  backends: readonly Backend<V>[],
  key: string,
  options: PeekOptions | undefined,
  transient: TransientPredicate,
  logger: Logger,
): Promise<PeekPage<V>> {
  const { after, limit } = checkPeekOptions(options);
  for (const backend of backends) {
    if (!hasPeek(backend)) {
      throw new ConfigurationError(
        `${backend.constructor?.name ?? 'an inner backend'} cannot peek`,
      );
    }
  }
  const failures: unknown[] = [];
  let sources: Source<V>[] = backends.map((backend, index) => ({
    index,
    backend: backend as Source<V>['backend'],
    records: [],
    last: after,
    exhausted: false,
  }));
  const fetch = async (source: Source<V>): Promise<boolean> => {
    try {
      const page = await source.backend.peek(key, {
        ...(source.last === undefined ? {} : { after: peekCursor(source.last) }),
        limit: Math.min(limit + 1, MAX_PEEK_LIMIT),
      });
      source.records.push(...page.records);
      const tail = page.records[page.records.length - 1];
      if (page.next === undefined || tail === undefined) source.exhausted = true;
      else source.last = tail;
      return true;
    } catch (error) {
      if (!transient(error)) throw error;
      failures.push(error);
      logger.warn(`peek: skipped inner backend ${source.index}, it is unavailable`, { key, error });
      return false;
    }
  };

  let pending = sources;
  for (;;) {
    const answered = await Promise.all(pending.map(fetch));
    sources = sources.filter(
      (source) => !pending.includes(source) || answered[pending.indexOf(source)],
    );
    if (sources.length === 0) throw unavailable(failures);
    const open = sources.filter((source) => !source.exhausted);
    const bound = open
      .map((source) => source.last!)
      .reduce<PeekPosition | undefined>(
        (first, position) =>
          first === undefined || comparePeekPositions(position, first) < 0 ? position : first,
        undefined,
      );
    const merged: PeekedRecord<V>[] = [];
    for (const source of sources) {
      for (const record of source.records) {
        if (bound !== undefined && comparePeekPositions(record, bound) > 0) break;
        merged.push(record);
      }
    }
    // Stable: at one position the earlier inner backend's record comes first and stays.
    merged.sort(comparePeekPositions);
    const records = merged.filter(
      (record, i) => i === 0 || comparePeekPositions(record, merged[i - 1]!) !== 0,
    );
    if (records.length > limit) {
      const page = records.slice(0, limit);
      return { records: page, next: peekCursor(page[page.length - 1]!) };
    }
    if (bound === undefined) return { records };
    pending = open.filter((source) => comparePeekPositions(source.last!, bound) === 0);
  }
}
