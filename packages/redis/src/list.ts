import { compareListPositions, type ListEntry, type ListRequest } from '@digests/core';
import type { ShardKeys } from './keys.js';
import type { RunScript } from './lua-script.js';
import { numberArgument, score, text } from './replies.js';
import { SCRIPTS } from './scripts.js';

/**
 * One `list` page over every shard: each shard replies up to `limit` keys of
 * each set asked for after the cursor (one script call per shard, all at
 * once; see `scripts/list.lua` for how it finds the cursor without a scan),
 * then the replies merge in schedule order (score, then key by code point —
 * the byte order Redis keeps members in) and the first `limit` are the page.
 * Costs O(shards × limit) entries transferred, never a scan of a shard.
 *
 * @example
 * ```ts
 * const entries = await listAcross(shards, { state: 'ready', limit: 101 }, run);
 * ```
 */
export async function listAcross(
  shards: readonly ShardKeys[],
  request: ListRequest,
  run: RunScript,
): Promise<ListEntry[]> {
  const { state, after, limit } = request;
  const replies = await Promise.all(
    shards.map(
      async (shard) =>
        (await run(
          SCRIPTS.list,
          [shard.waiting, shard.ready],
          [
            shard.prefix,
            state ?? 'both',
            String(limit),
            after === undefined ? '' : numberArgument(after.score),
            after?.key ?? '',
          ],
          `LIST shard ${shard.index}`,
        )) as unknown[],
    ),
  );
  const entries: ListEntry[] = [];
  for (const reply of replies) {
    for (let i = 0; i + 3 < reply.length; i += 4) {
      entries.push({
        key: text(reply[i]),
        state: text(reply[i + 1]) === 'r' ? 'ready' : 'waiting',
        score: score(reply[i + 2]),
        size: Number(reply[i + 3]),
      });
    }
  }
  return entries.sort(compareListPositions).slice(0, limit);
}
