import type { TimelineRecord } from './backend.js';

/**
 * Compares two strings by Unicode code point — the order of their UTF-8
 * bytes, which is how Redis, PostgreSQL (`COLLATE "C"`) and SQLite compare
 * them — so every backend breaks ties the same way.
 *
 * @example
 * ```ts
 * ['b', 'a', '😀', '\uffff'].sort(compareCodePoints); // ['a', 'b', '\uffff', '😀']
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

// Surrogates (U+D800–DFFF) encode code points above U+FFFF, so they must
// sort after U+E000–FFFF.
function fixup(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * The order records are handed to a digest: newest timestamp first; equal
 * timestamps by record key, descending in code-point order.
 *
 * @example
 * ```ts
 * records.sort(newestFirst);
 * ```
 */
export function newestFirst<V>(a: TimelineRecord<V>, b: TimelineRecord<V>): number {
  return b.timestamp - a.timestamp || compareCodePoints(b.key, a.key);
}

/**
 * The order `schedule` yields keys: earliest score first; equal scores by key,
 * ascending in code-point order.
 *
 * @example
 * ```ts
 * entries.sort(earliestFirst);
 * ```
 */
export function earliestFirst(
  a: { readonly key: string; readonly timestamp: number },
  b: { readonly key: string; readonly timestamp: number },
): number {
  return a.timestamp - b.timestamp || compareCodePoints(a.key, b.key);
}

/**
 * Merges a digest's snapshot with the records a failed digest left behind
 * (SPEC digest step 3): a record key in both keeps the newer record (the
 * timeline's on a tie), the result is newest first and trimmed to `capacity`.
 *
 * @example
 * ```ts
 * const snapshot = mergeSnapshot(leftOver, timeline, options.capacity);
 * ```
 */
export function mergeSnapshot<V>(
  leftOver: Iterable<TimelineRecord<V>>,
  timeline: Iterable<TimelineRecord<V>>,
  capacity: number | undefined,
): TimelineRecord<V>[] {
  const byKey = new Map<string, TimelineRecord<V>>();
  for (const record of leftOver) byKey.set(record.key, record);
  for (const record of timeline) {
    const existing = byKey.get(record.key);
    if (existing === undefined || record.timestamp >= existing.timestamp) {
      byKey.set(record.key, record);
    }
  }
  const merged = [...byKey.values()].sort(newestFirst);
  if (capacity !== undefined && merged.length > capacity) merged.length = capacity;
  return merged;
}

/**
 * Schedule order for `list`: score ascending, then key by code point.
 *
 * @example
 * ```ts
 * entries.sort(compareListPositions);
 * ```
 */
export function compareListPositions(
  a: { readonly score: number; readonly key: string },
  b: { readonly score: number; readonly key: string },
): number {
  return a.score - b.score || compareCodePoints(a.key, b.key);
}
