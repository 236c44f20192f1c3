import type { Backend, ListEntry, ListOptions, ListPage, TimelineInfo } from '../backend.js';
import { type ListPosition, listCursor, MAX_LIST_LIMIT } from '../list-cursor.js';
import { compareListPositions } from '../ordering.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { Logger } from './logger.js';
import { PolyBackendError } from './poly-backend-error.js';
import { unavailable } from './settle.js';

/** How many `inspect` calls one page sends to the inner backends at once. */
const LOOKUP_BATCH = 64;

interface Source<V> {
  readonly index: number;
  readonly backend: Backend<V>;
  /** Entries fetched so far, all after the page's start, in schedule order. */
  readonly entries: ListEntry[];
  /** The position of the last fetched entry while more may follow. */
  last: ListPosition | undefined;
  exhausted: boolean;
  down: boolean;
}

/** What {@link mergedList} needs besides the backends. */
export interface MergedListContext {
  readonly transient: TransientPredicate;
  readonly logger: Logger;
  /** How one key's entries combine (see `combineInfo`). */
  readonly combine: (infos: readonly TimelineInfo[]) => TimelineInfo;
}

/**
 * One page of the containers' merged `list` (SPEC "Containers": pages
 * merge in schedule order). A key held by several inner backends is listed
 * once, as `inspect` would combine it: its state (ready if any inner
 * backend has it ready), its position (the lowest score in that state, then
 * the key by code point) and its size (summed, or the largest copy). With
 * `state`, a key is listed only when its combined state is that state.
 *
 * The cursor is core's position cursor (`listCursor`): the last entry's
 * score and key. The inner backends are asked for their pages after the
 * same position, so they must accept core's cursors (every backend built on
 * `StoreBackend`, and every container, does). Pages are merged up to the
 * earliest point every inner page covers; an inner backend that did not
 * show a key in its page is asked with `inspect`, so a key is neither
 * listed twice on two pages nor listed with a partial size. An inner
 * backend that fails transiently is skipped (logged).
 *
 * The caller checks `options` first (`checkListOptions`).
 *
 * @example
 * ```ts
 * const page = await mergedList([primary, secondary], { state, after, limit }, context);
 * ```
 */
export async function mergedList<V>(
  backends: readonly Backend<V>[],
  options: {
    readonly state: ListOptions['state'];
    readonly after: ListPosition | undefined;
    readonly limit: number;
  },
  context: MergedListContext,
): Promise<ListPage> {
  const { state, after, limit } = options;
  const failures: unknown[] = [];
  const fetchSize = Math.min(limit + 1, MAX_LIST_LIMIT);
  const sources: Source<V>[] = backends.map((backend, index) => ({
    index,
    backend,
    entries: [],
    last: after,
    exhausted: false,
    down: false,
  }));

  const fetch = async (source: Source<V>): Promise<void> => {
    try {
      const page = await source.backend.list({
        ...(state === undefined ? {} : { state }),
        ...(source.last === undefined ? {} : { after: listCursor(source.last) }),
        limit: fetchSize,
      });
      source.entries.push(...page.entries);
      const tail = page.entries[page.entries.length - 1];
      if (page.next === undefined || tail === undefined) source.exhausted = true;
      else source.last = { score: tail.score, key: tail.key };
    } catch (error) {
      if (!context.transient(error)) throw error;
      failures.push(error);
      source.down = true;
      source.entries.length = 0;
      context.logger.warn(`list: skipped inner backend ${source.index}, it is unavailable`, {
        error,
      });
    }
  };

  const lookups = new Map<string, Promise<TimelineInfo | undefined>>();
  const lookup = (source: Source<V>, key: string): Promise<TimelineInfo | undefined> => {
    const id = `${source.index}\u0000${key}`;
    let found = lookups.get(id);
    if (found === undefined) {
      found = source.backend.inspect(key).catch((error: unknown) => {
        if (!context.transient(error)) throw error;
        context.logger.warn(`list: skipped inner backend ${source.index}, it is unavailable`, {
          key,
          error,
        });
        return undefined;
      });
      lookups.set(id, found);
    }
    return found;
  };

  await settleAll(sources.map(fetch));
  for (;;) {
    const live = sources.filter((source) => !source.down);
    if (live.length === 0) throw unavailable(failures);
    const bound = live
      .filter((source) => !source.exhausted)
      .map((source) => source.last!)
      .reduce<ListPosition | undefined>(
        (earliest, position) =>
          earliest === undefined || compareListPositions(position, earliest) < 0
            ? position
            : earliest,
        undefined,
      );
    const listed = await combineCandidates(live, bound, lookup, context.combine);
    const entries = listed.filter(
      (entry) =>
        (state === undefined || entry.state === state) &&
        (after === undefined || compareListPositions(entry, after) > 0) &&
        (bound === undefined || compareListPositions(entry, bound) <= 0),
    );
    if (entries.length > limit) {
      const page = entries.slice(0, limit);
      return { entries: page, next: listCursor(page[page.length - 1]!) };
    }
    if (bound === undefined) return { entries };
    // Every inner page ends after `bound` but the one(s) ending at it: read on there.
    await settleAll(
      live
        .filter((source) => !source.exhausted && compareListPositions(source.last!, bound) === 0)
        .map(fetch),
    );
  }
}

/**
 * The combined entry of every key the live sources listed up to `bound`, in
 * schedule order. Inner backends whose page did not show the key are asked
 * with `inspect` (they may hold it before the page, after it, or in the
 * other state).
 */
async function combineCandidates<V>(
  live: readonly Source<V>[],
  bound: ListPosition | undefined,
  lookup: (source: Source<V>, key: string) => Promise<TimelineInfo | undefined>,
  combine: (infos: readonly TimelineInfo[]) => TimelineInfo,
): Promise<ListEntry[]> {
  const seen = new Map<string, Map<number, ListEntry>>();
  for (const source of live) {
    for (const entry of source.entries) {
      if (bound !== undefined && compareListPositions(entry, bound) > 0) break;
      let bySource = seen.get(entry.key);
      if (bySource === undefined) {
        bySource = new Map();
        seen.set(entry.key, bySource);
      }
      bySource.set(source.index, entry);
    }
  }
  const keys = [...seen.keys()];
  const combined: ListEntry[] = [];
  for (let start = 0; start < keys.length; start += LOOKUP_BATCH) {
    const batch = keys.slice(start, start + LOOKUP_BATCH);
    const infos = await Promise.all(
      batch.map(async (key) => {
        const bySource = seen.get(key)!;
        const parts = await Promise.all(
          live.map((source) => {
            const entry = bySource.get(source.index);
            return entry === undefined ? lookup(source, key) : Promise.resolve(entry);
          }),
        );
        return combine(parts.filter((info): info is TimelineInfo => info !== undefined));
      }),
    );
    infos.forEach((info, i) => {
      if (info.state === 'absent' || info.score === undefined) return;
      combined.push({ key: batch[i]!, state: info.state, score: info.score, size: info.size });
    });
  }
  return combined.sort(compareListPositions);
}

/** Waits for every promise; rethrows the failures that were not absorbed. */
async function settleAll(pending: readonly Promise<void>[]): Promise<void> {
  const outcomes = await Promise.allSettled(pending);
  const errors = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
  );
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new PolyBackendError(errors);
}
