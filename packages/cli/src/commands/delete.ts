/**
 * `digests delete KEY`: drops a timeline for good — its records, a
 * left-over snapshot, quarantined values, its last-digest time and its
 * schedule entry.
 *
 * @module
 */
import type { Backend } from '@digests/core';
import type { Output } from '../output.js';

/**
 * Deletes the key and says what was dropped.
 *
 * @example
 * ```ts
 * await deleteCommand(backend, 'mail:p:1', out);
 * // deleted      mail:p:1 (was waiting)
 * // records      3
 * // quarantined  0
 * ```
 */
export async function deleteCommand(backend: Backend, key: string, out: Output): Promise<void> {
  const before = await backend.inspect(key);
  await backend.delete(key);
  const quarantined = before.quarantined ?? 0;
  out.result({ key, deleted: before.state !== 'absent' || quarantined > 0, before }, [
    [
      'deleted',
      before.state === 'absent' ? `${key} (it held nothing)` : `${key} (was ${before.state})`,
    ],
    ['records', String(before.size)],
    ['quarantined', String(quarantined)],
  ]);
}
