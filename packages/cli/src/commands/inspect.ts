/**
 * `digests inspect KEY`: one timeline's state, due time, size and last digest.
 *
 * @module
 */
import type { Backend } from '@digests/core';
import { formatWhen, type Output } from '../output.js';

/**
 * Prints what `backend.inspect(key)` reports.
 *
 * @example
 * ```ts
 * await inspectCommand(backend, 'mail:p:1', new Output(io, false));
 * // key             mail:p:1
 * // state           waiting
 * // due             2025-03-14T09:05:00.000Z (in 4m 12s)
 * // records         12
 * // last processed  2025-03-14T09:00:00.000Z (48s ago)
 * ```
 */
export async function inspectCommand(backend: Backend, key: string, out: Output): Promise<void> {
  const info = await backend.inspect(key);
  const now = out.now();
  const rows: [string, string][] = [
    ['key', key],
    ['state', info.state],
  ];
  if (info.score !== undefined) {
    rows.push([info.state === 'ready' ? 'ready since' : 'due', formatWhen(info.score, now)]);
  }
  rows.push(['records', String(info.size)]);
  rows.push([
    'last processed',
    info.lastProcessed === undefined ? 'never' : formatWhen(info.lastProcessed, now),
  ]);
  out.result({ key, ...info }, rows);
}
