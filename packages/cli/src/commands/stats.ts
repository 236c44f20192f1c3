/**
 * `digests stats`: keys per state, records held and when the next key is due,
 * for backends that can count themselves (`hasStats`).
 *
 * @module
 */
import { type Backend, hasStats } from '@digests/core';
import { CommandError } from '../errors.js';
import { formatWhen, type Output } from '../output.js';

/**
 * Prints the backend's counts; fails with `DIGESTS_STATS_UNSUPPORTED` when
 * the backend has no `stats()`.
 *
 * @example
 * ```ts
 * await statsCommand(backend, 'sqlite', new Output(io, false));
 * // waiting     6 keys
 * // ready       0 keys
 * // records     41
 * // oldest due  2025-03-14T09:05:00.000Z (in 4m 12s)
 * ```
 */
export async function statsCommand(backend: Backend, name: string, out: Output): Promise<void> {
  if (!hasStats(backend)) {
    throw new CommandError(
      `the ${name} backend cannot count its keys (it has no stats()); use "digests inspect KEY" for one key`,
      'DIGESTS_STATS_UNSUPPORTED',
    );
  }
  const stats = await backend.stats();
  out.result({ backend: name, ...stats }, [
    ['backend', name],
    ['waiting', keys(stats.waiting)],
    ['ready', keys(stats.ready)],
    ['records', String(stats.records)],
    ['oldest due', stats.oldestDue === undefined ? '-' : formatWhen(stats.oldestDue, out.now())],
  ]);
}

function keys(count: number): string {
  return `${count} key${count === 1 ? '' : 's'}`;
}
