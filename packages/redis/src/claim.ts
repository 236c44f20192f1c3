import { earliestFirst, type ScheduleEntry } from '@digests/core';
import type { ShardKeys } from './keys.js';
import type { RunScript } from './lua-script.js';
import { readEntries } from './replies.js';
import { SCRIPTS } from './scripts.js';

/**
 * Sends one plain command (read-only here) through the store's client,
 * recorded as one action named `detail`.
 */
export type RunCommand = (
  detail: string,
  command: string,
  ...args: readonly string[]
) => Promise<unknown>;

/**
 * One `claim` over every shard, earliest first across all of them, even
 * with several schedulers at once:
 * 1. read (without moving) every shard's earliest `limit` due keys;
 * 2. pick the globally earliest `limit` of them;
 * 3. move exactly those members, one script call per shard involved, each
 *    moving a member only if it is still waiting and due.
 *
 * A member another scheduler took in between is simply not moved — never
 * replaced by a later member of the same shard, which is what moving
 * *counts* would do. If every peeked member was taken, it looks again, so
 * an empty result means nothing is due. One shard needs no peek: one
 * script reads and moves atomically. So does a `standalone` server (not a
 * cluster: every shard on one node): `claim-all.lua` reads, merges and
 * moves across all shards in one call — one round trip per chunk instead
 * of one per shard plus one per shard moved from.
 *
 * @example
 * ```ts
 * const chunk = await claimAcross(shards, '+inf', 1000, run, call);
 * ```
 */
export async function claimAcross(
  shards: readonly ShardKeys[],
  deadline: string,
  limit: number,
  run: RunScript,
  call: RunCommand,
  standalone = false,
): Promise<ScheduleEntry[]> {
  if (standalone && shards.length > 1) {
    return readEntries(
      await run(
        SCRIPTS.claimAll,
        [...shards.map((shard) => shard.waiting), ...shards.map((shard) => shard.ready)],
        [deadline, String(limit)],
        `SCHEDULE ${shards.length} shards ≤ ${deadline}`,
      ),
    );
  }
  if (shards.length === 1) {
    const shard = shards[0]!;
    return readEntries(
      await run(
        SCRIPTS.claim,
        [shard.waiting, shard.ready],
        [deadline, String(limit)],
        `SCHEDULE shard ${shard.index} ≤ ${deadline}`,
      ),
    );
  }
  for (;;) {
    const peeked = await Promise.all(
      shards.map(async (shard) =>
        readEntries(
          await call(
            `PEEK shard ${shard.index} ≤ ${deadline}`,
            'ZRANGEBYSCORE',
            shard.waiting,
            '-inf',
            deadline,
            'WITHSCORES',
            'LIMIT',
            '0',
            String(limit),
          ),
        ),
      ),
    );
    const picked = earliestOf(peeked, limit);
    if (picked.every((members) => members.length === 0)) return [];
    const moved = await Promise.all(
      shards.map(async (shard, index) => {
        const members = picked[index]!;
        if (members.length === 0) return [];
        return readEntries(
          await run(
            SCRIPTS.claimMembers,
            [shard.waiting, shard.ready],
            [deadline, ...members],
            `SCHEDULE shard ${shard.index} ≤ ${deadline}`,
          ),
        );
      }),
    );
    const chunk = moved.flat().sort(earliestFirst);
    if (chunk.length > 0) return chunk;
  }
}

/**
 * The members to move from each shard so that one chunk is the globally
 * earliest `limit` due keys: a k-way merge of the shards' own earliest
 * entries (each list earliest first, as `ZRANGEBYSCORE` gives them).
 *
 * @example
 * ```ts
 * earliestOf([[{ key: 'a', timestamp: 1 }], [{ key: 'b', timestamp: 0 }]], 1); // [[], ['b']]
 * ```
 */
export function earliestOf(
  peeked: readonly (readonly ScheduleEntry[])[],
  limit: number,
): string[][] {
  const picked = peeked.map((): string[] => []);
  const heads = peeked.map(() => 0);
  for (let taken = 0; taken < limit; taken++) {
    let best = -1;
    for (let shard = 0; shard < peeked.length; shard++) {
      const entry = peeked[shard]![heads[shard]!];
      if (entry === undefined) continue;
      if (best < 0 || earliestFirst(entry, peeked[best]![heads[best]!]!) < 0) best = shard;
    }
    if (best < 0) break;
    picked[best]!.push(peeked[best]![heads[best]!]!.key);
    heads[best]!++;
  }
  return picked;
}
