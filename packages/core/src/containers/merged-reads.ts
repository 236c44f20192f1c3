import type {
  Backend,
  DigestFunction,
  DigestOptions,
  ListOptions,
  ListPage,
  QuarantinedRecord,
  ScheduleEntry,
  ScheduleOptions,
  TimelineInfo,
} from '../backend.js';
import { ConfigurationError } from '../errors.js';
import { assertValidKey } from '../keys.js';
import { checkListOptions } from '../list-cursor.js';
import { assertDeadline, chunkSize } from '../options.js';
import { compareCodePoints } from '../ordering.js';
import type { PeekOptions, PeekPage } from '../peek.js';
import { isTransient, type TransientPredicate } from '../retry/transient.js';
import { type BackendStats, combineStats, statsOf } from '../stats.js';
import { checkDigestInput } from './check-input.js';
import { type Logger, silentLogger } from './logger.js';
import { mergedDigest } from './merged-digest.js';
import { mergedList } from './merged-list.js';
import { mergedPeek } from './merged-peek.js';
import { mergeSchedules, ScheduleClaims } from './merged-schedule.js';
import { MoveGate } from './move-gate.js';
import { settle, throwReadFailures } from './settle.js';

/** How {@link MergedReads} behaves. */
export interface MergedReadsOptions {
  /** Which failures mean "skip this inner backend". Default: core's `isTransient`. */
  readonly isTransient?: TransientPredicate;
  /** Where skipped inner backends are reported. Default: silent. */
  readonly logger?: Logger;
  /**
   * How `inspect` combines the sizes of one key held by several inner
   * backends: `'sum'` when they hold different records (fallback, routing),
   * `'max'` when they hold copies of the same records (poly). Default `'sum'`.
   */
  readonly sizes?: 'sum' | 'max';
}

/**
 * The one mechanism every container reads with (SPEC "Containers"): the
 * schedule is the union of the inner schedules, a digest opens every inner
 * backend where the key is ready and calls `fn` once with the merged
 * records, `inspect` combines. An inner backend that fails transiently is
 * skipped so delivery goes on from the others; when none answers, the
 * (transient) unavailability is thrown.
 *
 * Combined `inspect`: `ready` if any inner backend has the key ready, else
 * `waiting` if any has it waiting, else `absent`; `score` is the lowest score
 * among the inner backends in that state; `size` sums (or, for copies, takes
 * the largest); `lastProcessed` is the latest; `quarantined` counts like
 * `size` and is present only when some inner backend holds quarantined
 * values. `list` merges the inner pages in schedule order, a key once (see
 * `mergedList`).
 *
 * @example
 * ```ts
 * const reads = new MergedReads([primary, secondary], { logger: console });
 * for await (const { key } of reads.schedule(Date.now())) {
 *   await reads.digest(key, (records) => send(records));
 * }
 * ```
 */
export class MergedReads<V = unknown> {
  readonly #backends: readonly Backend<V>[];
  readonly #transient: TransientPredicate;
  readonly #logger: Logger;
  readonly #sizes: 'sum' | 'max';
  readonly #claims: ScheduleClaims;
  readonly #gate = new MoveGate();

  constructor(backends: readonly Backend<V>[], options: MergedReadsOptions = {}) {
    if (!Array.isArray(backends) || backends.length === 0) {
      throw new ConfigurationError('a container needs at least one inner backend');
    }
    this.#backends = [...backends];
    this.#transient = options.isTransient ?? isTransient;
    this.#logger = options.logger ?? silentLogger;
    this.#sizes = options.sizes ?? 'sum';
    this.#claims = new ScheduleClaims(this.#backends.length);
  }

  /** The union of the inner schedules, earliest first, a key once per transition. */
  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    assertDeadline(deadline);
    return mergeSchedules(this.#backends, deadline, options, {
      transient: this.#transient,
      logger: this.#logger,
      claims: this.#claims,
      gate: this.#gate,
      size: chunkSize(options?.chunkSize),
    });
  }

  /** One digest over every inner backend where `key` is ready; `fn` runs once. */
  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    checkDigestInput(key, fn, options);
    return mergedDigest(this.#backends, key, fn, options, this.#transient, this.#logger);
  }

  /** The combined state of `key` (see the class comment). */
  async inspect(key: string): Promise<TimelineInfo> {
    assertValidKey(key);
    const settled = await settle(this.#backends, (backend) => backend.inspect(key));
    throwReadFailures(settled, this.#transient, this.#logger, 'inspect');
    return combineInfo(
      settled.values.map(({ value }) => value),
      this.#sizes,
    );
  }

  /** One page of the inner backends' keys, merged in schedule order (see `mergedList`). */
  async list(options?: ListOptions): Promise<ListPage> {
    const checked = checkListOptions(options);
    return mergedList(this.#backends, checked, {
      transient: this.#transient,
      logger: this.#logger,
      combine: (infos) => combineInfo(infos, this.#sizes),
    });
  }

  /** One page of `key`'s records across the inner backends (see `mergedPeek`). */
  async peek(key: string, options?: PeekOptions): Promise<PeekPage<V>> {
    assertValidKey(key);
    return mergedPeek(this.#backends, key, options, this.#transient, this.#logger);
  }

  /**
   * The quarantined values of `key` in every inner backend that answers,
   * a record key once (the first inner backend's), oldest first.
   */
  async quarantined(key: string): Promise<QuarantinedRecord[]> {
    assertValidKey(key);
    const settled = await settle(this.#backends, (backend) => backend.quarantined(key));
    throwReadFailures(settled, this.#transient, this.#logger, 'quarantined');
    const byKey = new Map<string, QuarantinedRecord>();
    for (const { value } of settled.values) {
      for (const record of value) if (!byKey.has(record.key)) byKey.set(record.key, record);
    }
    return [...byKey.values()].sort(
      (a, b) => a.timestamp - b.timestamp || compareCodePoints(a.key, b.key),
    );
  }

  /** Maintenance on every inner backend that answers; resolves the total moved. */
  async maintenance(deadline: number): Promise<number> {
    assertDeadline(deadline);
    const settled = await this.exclusive(() =>
      settle(this.#backends, (backend) => backend.maintenance(deadline)),
    );
    throwReadFailures(settled, this.#transient, this.#logger, 'maintenance');
    return settled.values.reduce((total, { value }) => total + value, 0);
  }

  /**
   * Runs `fn` (a maintenance on the inner backends) while no schedule of
   * this container claims keys (see `MoveGate`).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#gate.exclusive(fn);
  }

  /** Counts over every inner backend that answers, combined like `inspect` sizes. */
  async stats(): Promise<BackendStats> {
    const settled = await settle(this.#backends, (backend) => statsOf(backend));
    throwReadFailures(settled, this.#transient, this.#logger, 'stats');
    return combineStats(
      settled.values.map(({ value }) => value),
      this.#sizes,
    );
  }

  /** Flushes `key` on every inner backend that answers. */
  async flush(key: string): Promise<void> {
    assertValidKey(key);
    const settled = await settle(this.#backends, (backend) => backend.flush(key));
    throwReadFailures(settled, this.#transient, this.#logger, 'flush');
  }
}

/**
 * Combines what several inner backends report about one key (see
 * {@link MergedReads}).
 *
 * @example
 * ```ts
 * combineInfo([{ state: 'waiting', score: 9, size: 2 }, { state: 'ready', score: 5, size: 1 }], 'sum');
 * // → { state: 'ready', score: 5, size: 3 }
 * ```
 */
export function combineInfo(infos: readonly TimelineInfo[], sizes: 'sum' | 'max'): TimelineInfo {
  const ready = infos.filter((info) => info.state === 'ready');
  const waiting = infos.filter((info) => info.state === 'waiting');
  const chosen = ready.length > 0 ? ready : waiting;
  const state = ready.length > 0 ? 'ready' : waiting.length > 0 ? 'waiting' : 'absent';
  const size =
    sizes === 'max'
      ? Math.max(0, ...infos.map((info) => info.size))
      : infos.reduce((total, info) => total + info.size, 0);
  const scores = chosen.flatMap((info) => (info.score === undefined ? [] : [info.score]));
  const processed = infos.flatMap((info) =>
    info.lastProcessed === undefined ? [] : [info.lastProcessed],
  );
  const held = infos.map((info) => info.quarantined ?? 0);
  const quarantined =
    sizes === 'max' ? Math.max(0, ...held) : held.reduce((total, count) => total + count, 0);
  return {
    state,
    ...(scores.length > 0 ? { score: Math.min(...scores) } : {}),
    size,
    ...(processed.length > 0 ? { lastProcessed: Math.max(...processed) } : {}),
    ...(quarantined > 0 ? { quarantined } : {}),
  };
}
