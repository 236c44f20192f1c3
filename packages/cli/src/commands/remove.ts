/**
 * `digests remove KEY RECORD…`: cancels pending records of one timeline
 * (`Backend.remove`); the schedule is unchanged.
 *
 * @module
 */
import type { Backend } from '@digests/core';
import { formatWhen, type Output } from '../output.js';

/**
 * Removes the named records and prints how many were removed and where the
 * timeline stands.
 *
 * @example
 * ```ts
 * await removeCommand(backend, 'mail:p:1', ['e2', 'e3'], out);
 * // removed  2 of 2 records from mail:p:1
 * // state    waiting
 * // due      2025-03-14T09:05:00.000Z (in 4m 12s)
 * // records  1
 * ```
 */
export async function removeCommand(
  backend: Backend,
  key: string,
  recordKeys: readonly string[],
  out: Output,
): Promise<void> {
  const removed = await backend.remove(key, recordKeys);
  const info = await backend.inspect(key);
  const rows: [string, string][] = [
    [
      'removed',
      `${removed} of ${recordKeys.length} record${recordKeys.length === 1 ? '' : 's'} from ${key}`,
    ],
    ['state', info.state],
  ];
  if (info.score !== undefined) {
    rows.push([info.state === 'ready' ? 'ready since' : 'due', formatWhen(info.score, out.now())]);
  }
  rows.push(['records', String(info.size)]);
  out.result({ key, requested: recordKeys.length, removed, ...info }, rows);
  if (removed < recordKeys.length) {
    out.progress(
      'remove: records not found, already delivered, or in a digest being delivered right now are not removed',
    );
  }
}
