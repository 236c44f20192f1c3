import type { Backend, ScheduleEntry, ScheduleOptions } from '../backend.js';
import { earliestFirst } from '../ordering.js';
import type { TransientPredicate } from '../retry/transient.js';
import type { Logger } from './logger.js';
import type { MoveGate } from './move-gate.js';
import { unavailable } from './settle.js';

interface Source {
  readonly index: number;
  readonly iterator: AsyncIterator<ScheduleEntry>;
  /** Entries taken from the inner schedule and not merged yet, earliest first. */
  readonly buffer: ScheduleEntry[];
  done: boolean;
}

/**
 * How many transitions of each key every inner backend reported, shared by
 * every schedule running on one container, so that a key moved in several
 * inner backends (copies, in a poly) is yielded once per transition even
 * when concurrent schedulers each moved it in a different copy.
 *
 * The n-th report of a key from one inner backend is its n-th transition
 * there; it is yielded when that inner backend is the first to reach n —
 * the other copies' n-th reports are the same transition. So the order in
 * which concurrent schedulers happen to consume the copies' reports does
 * not matter. Counts shrink by what every inner backend has reported (a
 * key all copies caught up on is forgotten) and are dropped when no
 * schedule is running.
 *
 * @example
 * ```ts
 * const claims = new ScheduleClaims(2);
 * claims.begin();
 * claims.claim('k', 0); // true: yield it
 * claims.claim('k', 1); // false: the copy's move of the same transition
 * claims.claim('k', 1); // true: copy 1 is first to report a second transition
 * claims.end();
 * ```
 */
export class ScheduleClaims {
  readonly #sources: number;
  readonly #counts = new Map<string, number[]>();
  #active = 0;

  constructor(sources: number) {
    this.#sources = sources;
  }

  /** A schedule starts. */
  begin(): void {
    this.#active++;
  }

  /** A schedule ends; the last one forgets every count. */
  end(): void {
    this.#active--;
    if (this.#active === 0) this.#counts.clear();
  }

  /** Whether `key`, moved by inner backend `source`, is a transition to yield. */
  claim(key: string, source: number): boolean {
    if (this.#sources === 1) return true;
    let counts = this.#counts.get(key);
    if (counts === undefined) {
      counts = new Array<number>(this.#sources).fill(0);
      this.#counts.set(key, counts);
    }
    const reached = ++counts[source]!;
    const first = counts.every((count, index) => index === source || count < reached);
    const caughtUp = Math.min(...counts);
    if (caughtUp > 0) {
      for (let i = 0; i < counts.length; i++) counts[i]! -= caughtUp;
      if (counts.every((count) => count === 0)) this.#counts.delete(key);
    }
    return first;
  }
}

/**
 * The union of the inner backends' schedules, earliest first (a k-way merge
 * of streams that are each earliest first), a key once per transition (see
 * {@link ScheduleClaims}). An inner backend whose schedule fails
 * transiently is dropped (and logged) so the others go on; when all fail,
 * the last step throws `unavailable(errors)`.
 *
 * Entries are taken from the inner schedules in step: whenever one inner
 * buffer runs dry, every inner schedule whose buffer is short gets up to
 * `size` more entries, inside one shared section of `gate`. So the copies
 * of a poly claim the same keys together, and maintenance (exclusive on the
 * same gate) never moves a key back in one copy between the copies' claims.
 *
 * The caller validates `deadline` and `options` first, so bad input throws
 * before any inner backend moves a key.
 *
 * @example
 * ```ts
 * const claims = new ScheduleClaims(backends.length);
 * const context = { transient: isTransient, logger, claims, gate: new MoveGate(), size: 1000 };
 * for await (const entry of mergeSchedules(backends, deadline, {}, context)) {
 *   console.log(entry.key);
 * }
 * ```
 */
export async function* mergeSchedules<V>(
  backends: readonly Backend<V>[],
  deadline: number,
  options: ScheduleOptions | undefined,
  context: {
    readonly transient: TransientPredicate;
    readonly logger: Logger;
    readonly claims: ScheduleClaims;
    readonly gate: MoveGate;
    /** Entries one refill takes from each inner schedule (the chunk size). */
    readonly size: number;
  },
): AsyncGenerator<ScheduleEntry> {
  const { transient, logger, claims, gate, size } = context;
  const failures: unknown[] = [];
  const sources: Source[] = [];
  for (const [index, backend] of backends.entries()) {
    try {
      const iterator = backend.schedule(deadline, options)[Symbol.asyncIterator]();
      sources.push({ index, iterator, buffer: [], done: false });
    } catch (error) {
      if (!transient(error)) throw error;
      failures.push(error);
    }
  }
  const fill = async (source: Source): Promise<void> => {
    try {
      while (source.buffer.length < size) {
        const next = await source.iterator.next();
        if (next.done === true) {
          source.done = true;
          return;
        }
        source.buffer.push(next.value);
      }
    } catch (error) {
      source.done = true;
      if (!transient(error)) throw error;
      failures.push(error);
      logger.warn(`schedule: skipped inner backend ${source.index}, it is unavailable`, { error });
    }
  };
  const refill = () =>
    gate.shared(async () => {
      const outcomes = await Promise.allSettled(
        sources.filter((source) => !source.done && source.buffer.length < size).map(fill),
      );
      for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    });

  claims.begin();
  try {
    for (;;) {
      if (sources.some((source) => !source.done && source.buffer.length === 0)) await refill();
      let earliest: Source | undefined;
      for (const source of sources) {
        const head = source.buffer[0];
        if (head === undefined) continue;
        if (earliest === undefined || earliestFirst(head, earliest.buffer[0]!) < 0) {
          earliest = source;
        }
      }
      if (earliest === undefined) break;
      const entry = earliest.buffer.shift()!;
      if (claims.claim(entry.key, earliest.index)) yield entry;
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
