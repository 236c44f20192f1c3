import { createHash } from 'node:crypto';
import type { TimelineRecord } from '../backend.js';

/**
 * The id of a digest: a SHA-256 (first 32 hex digits) of the timeline key
 * and the snapshot's record keys and timestamps, sorted by record key so the
 * store's ordering does not matter. A retry of the same snapshot gets the
 * same id; a snapshot that gained or lost a record, or whose record was
 * replaced by a newer one, gets another. Values are not hashed: they may be
 * large, and a record's key and timestamp identify it.
 *
 * @example
 * ```ts
 * digestIdOf('mail:p:1', [{ key: 'e1', value: 'x', timestamp: 1 }]); // '5f1c…' (32 hex digits)
 * ```
 */
export function digestIdOf(key: string, records: readonly TimelineRecord<unknown>[]): string {
  const identity = records
    .map((record): [string, number] => [record.key, record.timestamp])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // JSON keeps the parts unambiguous whatever characters the keys hold.
  return createHash('sha256')
    .update(JSON.stringify([key, identity]))
    .digest('hex')
    .slice(0, 32);
}
