/**
 * `digests flush KEY`: a waiting timeline becomes ready now ("digest
 * now"). A worker's schedule yields only waiting keys, so a flushed key is
 * delivered once the worker's maintenance hands it back (after
 * `--maintenance-age`), or at once by `digests worker --once --maintenance-age 0`.
 *
 * @module
 */
import type { Backend } from '@digests/core';
import type { Output } from '../output.js';

/**
 * Flushes the key and says what changed.
 *
 * @example
 * ```ts
 * await flushCommand(backend, 'mail:p:1', out);
 * // flushed  mail:p:1: waiting → ready
 * // next     a worker delivers it after its maintenance age (default 5m); now: digests worker --once --maintenance-age 0
 * ```
 */
export async function flushCommand(backend: Backend, key: string, out: Output): Promise<void> {
  const before = await backend.inspect(key);
  await backend.flush(key);
  const after = await backend.inspect(key);
  const rows: [string, string][] =
    before.state === 'waiting'
      ? [
          ['flushed', `${key}: waiting → ${after.state}`],
          [
            'next',
            'a worker delivers it after its maintenance age (default 5m); now: digests worker --once --maintenance-age 0',
          ],
        ]
      : [['unchanged', `${key} is ${before.state}: only a waiting key can be flushed`]];
  rows.push(['records', String(after.size)]);
  out.result({ key, before: before.state, ...after }, rows);
}
