import type { Backend } from './backend.js';

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
