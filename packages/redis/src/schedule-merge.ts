import { earliestFirst, type ScheduleEntry } from '@digests/core';
import type { ShardKeys } from './keys.js';
import type { RunScript } from './lua-script.js';
import { readEntries } from './replies.js';
import { SCHEDULE } from './scripts/schedule.js';

/**
 * Sends one plain command (read-only here) through the backend's client and
 * error mapping, recorded as one action named `detail`.
 */
export type RunCommand = (
  detail: string,
  command: string,
  ...args: readonly string[]
) => Promise<unknown>;

/**
 * `schedule` over every shard, earliest first across all of them. Each round
 * reads (without moving) every shard's earliest `size` due keys, picks the
 * globally earliest `size` with {@link takeCounts}, and moves exactly those
 * with one script call per shard involved, so a round moves no more than one
 * chunk — like the memory backend — and concurrent schedulers never yield one
 * transition twice (the move is atomic per shard). One shard skips the read.
 *
 * @example
 * ```ts
 * for await (const entry of scheduleAcross(shards, '+inf', 1000, run, call)) console.log(entry);
 * ```
 */
export async function* scheduleAcross(
  shards: readonly ShardKeys[],
  deadline: string,
  size: number,
  run: RunScript,
  call: RunCommand,
): AsyncGenerator<ScheduleEntry> {
  for (;;) {
    let counts: number[] = [size];
    if (shards.length > 1) {
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
              String(size),
            ),
          ),
        ),
      );
      counts = takeCounts(peeked, size);
    }
    const moved = await Promise.all(
      shards.map(async (shard, index) => {
        const count = counts[index]!;
        if (count === 0) return [];
        return readEntries(
          await run(
            SCHEDULE,
            [shard.waiting, shard.ready],
            [deadline, String(count)],
            `SCHEDULE shard ${shard.index} ≤ ${deadline}`,
          ),
        );
      }),
    );
    const chunk = moved.flat().sort(earliestFirst);
    if (chunk.length === 0) return;
    yield* chunk;
  }
}

/**
 * How many entries to move from each shard so that one `schedule` chunk is
 * the globally earliest `size` due keys: a k-way merge of the shards' own
 * earliest entries (each list earliest first, as `ZRANGEBYSCORE` gives them),
 * counting where each of the first `size` came from.
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
