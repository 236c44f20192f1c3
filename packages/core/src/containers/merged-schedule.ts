import type { Backend, ScheduleEntry, ScheduleOptions } from '../backend.js';
import { earliestFirst } from '../ordering.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { Logger } from './logger.js';
import { unavailable } from './settle.js';

interface Source {
  readonly index: number;
  readonly iterator: AsyncIterator<ScheduleEntry>;
  head: ScheduleEntry | undefined;
  done: boolean;
}

/**
 * Which inner backends reported which key's transition, shared by every
 * schedule running on one container, so that a key moved in several inner
 * backends (copies, in a poly) is yielded once for one transition even when
 * concurrent schedulers each moved it in a different copy.
 *
 * A key seen again from an inner backend that already reported it is a new
 * transition (it was digested and became due again) and is yielded again.
 * Claims are forgotten once every inner backend reported the key, or when no
 * schedule is running.
 *
 * @example
 * ```ts
 * const claims = new ScheduleClaims(2);
 * claims.begin();
 * claims.claim('k', 0); // true: yield it
 * claims.claim('k', 1); // false: the copy's move of the same transition
 * claims.end();
 * ```
 */
export class ScheduleClaims {
  readonly #sources: number;
  readonly #claims = new Map<string, Set<number>>();
  #active = 0;

  constructor(sources: number) {
    this.#sources = sources;
  }

  /** A schedule starts. */
  begin(): void {
    this.#active++;
  }

  /** A schedule ends; the last one forgets every claim. */
  end(): void {
    this.#active--;
    if (this.#active === 0) this.#claims.clear();
  }

  /** Whether `key`, moved by inner backend `source`, is a transition to yield. */
  claim(key: string, source: number): boolean {
    const seen = this.#claims.get(key);
    if (seen === undefined || seen.has(source)) {
      if (this.#sources > 1) this.#claims.set(key, new Set([source]));
      return true;
    }
    seen.add(source);
    if (seen.size >= this.#sources) this.#claims.delete(key);
    return false;
  }
}

/**
 * The union of the inner backends' schedules, earliest first (a k-way merge
 * of streams that are each earliest first), a key once per transition (see
 * {@link ScheduleClaims}). An inner backend
 * whose schedule fails transiently is dropped (and logged) so the others go
 * on; when all fail, the last step throws `unavailable(errors)`.
 *
 * The caller validates `deadline` and `options` first, so bad input throws
 * before any inner backend moves a key.
 *
 * @example
 * ```ts
 * const claims = new ScheduleClaims(backends.length);
 * for await (const entry of mergeSchedules(backends, deadline, {}, isTransient, logger, claims)) {
 *   console.log(entry.key);
 * }
 * ```
 */
export async function* mergeSchedules<V>(
  backends: readonly Backend<V>[],
  deadline: number,
  options: ScheduleOptions | undefined,
  transient: TransientPredicate,
  logger: Logger,
  claims: ScheduleClaims,
): AsyncGenerator<ScheduleEntry> {
  const failures: unknown[] = [];
  const sources: Source[] = [];
  for (const [index, backend] of backends.entries()) {
    try {
      const iterator = backend.schedule(deadline, options)[Symbol.asyncIterator]();
      sources.push({ index, iterator, head: undefined, done: false });
    } catch (error) {
      if (!transient(error)) throw error;
      failures.push(error);
    }
  }
  const advance = async (source: Source): Promise<void> => {
    try {
      const next = await source.iterator.next();
      source.head = next.done ? undefined : next.value;
      source.done = next.done === true;
    } catch (error) {
      source.head = undefined;
      source.done = true;
      if (!transient(error)) throw error;
      failures.push(error);
      logger.warn(`schedule: skipped inner backend ${source.index}, it is unavailable`, { error });
    }
  };

  claims.begin();
  try {
    await Promise.all(sources.map(advance));
    for (;;) {
      let earliest: Source | undefined;
      for (const source of sources) {
        if (source.head === undefined) continue;
        if (earliest?.head === undefined || earliestFirst(source.head, earliest.head) < 0) {
          earliest = source;
        }
      }
      if (earliest?.head === undefined) break;
      const entry = earliest.head;
      const source = earliest.index;
      await advance(earliest);
      if (claims.claim(entry.key, source)) yield entry;
    }
    if (failures.length === backends.length) throw unavailable(failures);
  } finally {
    claims.end();
    // An early `break` by the consumer, or a failure: let the others clean up.
    await Promise.all(
      sources
        .filter((source) => !source.done)
        .map(async (source) => {
          await source.iterator.return?.()?.catch?.(() => undefined);
        }),
    );
  }
}
