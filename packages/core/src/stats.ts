import type { Backend } from './backend.js';
import { ConfigurationError } from './errors.js';

/**
 * Counts over a whole backend, for dashboards and `digests stats`.
 *
 * @example
 * ```ts
 * if (hasStats(backend)) {
 *   const { waiting, ready, records, oldestDue } = await backend.stats();
 * }
 * ```
 */
export interface BackendStats {
  /** Keys in the `waiting` state. */
  readonly waiting: number;
  /** Keys in the `ready` state. */
  readonly ready: number;
  /** Records held, timelines plus left-over snapshots. */
  readonly records: number;
  /** The lowest waiting score: when the next key becomes due. */
  readonly oldestDue?: number;
}

/** An optional capability: a backend that can count itself. */
export interface StatsSource {
  stats(): Promise<BackendStats>;
}

/**
 * Whether `backend` implements {@link StatsSource}.
 *
 * @example
 * ```ts
 * const stats = hasStats(backend) ? await backend.stats() : undefined;
 * ```
 */
export function hasStats<V>(backend: Backend<V>): backend is Backend<V> & StatsSource {
  return typeof (backend as Partial<StatsSource>).stats === 'function';
}

/**
 * The stats of `backend`, or a `ConfigurationError` saying it cannot count
 * itself (containers call this on each inner backend).
 *
 * @example
 * ```ts
 * const { waiting } = await statsOf(backend);
 * ```
 */
export async function statsOf<V>(backend: Backend<V>): Promise<BackendStats> {
  if (!hasStats(backend)) {
    throw new ConfigurationError(
      `${backend.constructor?.name ?? 'this backend'} cannot count itself: it has no stats()`,
    );
  }
  return backend.stats();
}

/**
 * Combines the stats of several backends: `'sum'` when they hold different
 * timelines (fallback, routing), `'max'` when they hold copies (poly).
 * `oldestDue` is the earliest of all.
 *
 * @example
 * ```ts
 * combineStats([{ waiting: 1, ready: 0, records: 3 }, { waiting: 2, ready: 1, records: 4 }], 'sum');
 * // → { waiting: 3, ready: 1, records: 7 }
 * ```
 */
export function combineStats(all: readonly BackendStats[], mode: 'sum' | 'max'): BackendStats {
  const pick = (values: number[]) =>
    mode === 'max' ? Math.max(0, ...values) : values.reduce((a, b) => a + b, 0);
  const due = all.flatMap((s) => (s.oldestDue === undefined ? [] : [s.oldestDue]));
  return {
    waiting: pick(all.map((s) => s.waiting)),
    ready: pick(all.map((s) => s.ready)),
    records: pick(all.map((s) => s.records)),
    ...(due.length > 0 ? { oldestDue: Math.min(...due) } : {}),
  };
}
