import { earliestFirst, type ScheduleEntry } from '@digests/core';

/**
 * How many entries to move from each shard so that one `schedule` chunk is
 * the globally earliest `size` due keys: a merge of the shards' own earliest
 * entries (each list earliest first, as `ZRANGEBYSCORE` gives them), counting
 * where each of the first `size` came from.
 *
 * @example
 * ```ts
 * takeCounts([[{ key: 'a', timestamp: 1 }], [{ key: 'b', timestamp: 0 }]], 1); // [0, 1]
 * ```
 */
export function takeCounts(peeked: readonly (readonly ScheduleEntry[])[], size: number): number[] {
  const counts = peeked.map(() => 0);
  const heads = peeked.map(() => 0);
  for (let taken = 0; taken < size; taken++) {
    let best = -1;
    for (let shard = 0; shard < peeked.length; shard++) {
      const entry = peeked[shard]![heads[shard]!];
      if (entry === undefined) continue;
      if (best < 0 || earliestFirst(entry, peeked[best]![heads[best]!]!) < 0) best = shard;
    }
    if (best < 0) break;
    heads[best]!++;
    counts[best]!++;
  }
  return counts;
}
