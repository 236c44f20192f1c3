import type { BackendStats } from '@digests/core';
import type { ShardKeys } from './keys.js';
import type { RunScript } from './lua-script.js';
import { score } from './replies.js';
import { SCRIPTS } from './scripts.js';

/**
 * The optional `stats()` capability: one read-only script call per shard,
 * summed. Costs O(scheduled keys), so it is for dashboards and the CLI.
 *
 * @example
 * ```ts
 * const { waiting, ready, records, oldestDue } = await countShards(shards, run);
 * ```
 */
export async function countShards(
  shards: readonly ShardKeys[],
  run: RunScript,
): Promise<BackendStats> {
  const counted = await Promise.all(
    shards.map(
      async (shard) =>
        (await run(
          SCRIPTS.stats,
          [shard.waiting, shard.ready],
          [shard.prefix],
          `STATS shard ${shard.index}`,
        )) as [number, number, number, unknown],
    ),
  );
  let waiting = 0;
  let ready = 0;
  let records = 0;
  let oldestDue: number | undefined;
  for (const [w, r, n, next] of counted) {
    waiting += w;
    ready += r;
    records += n;
    if (next !== null && (oldestDue === undefined || score(next) < oldestDue))
      oldestDue = score(next);
  }
  return { waiting, ready, records, ...(oldestDue === undefined ? {} : { oldestDue }) };
}
