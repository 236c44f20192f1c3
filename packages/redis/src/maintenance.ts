import type { ShardKeys } from './keys.js';
import type { LuaScript, RunScript } from './lua-script.js';
import { numberArgument } from './replies.js';
import { SCRIPTS } from './scripts.js';

/** How many keys one maintenance script call visits. */
const MAINTENANCE_CHUNK = 1000;

/**
 * `requeue` over every shard at once: ready keys with score ≤ deadline go
 * back to waiting (`requeue.lua`, 1 000 keys per call). Resolves how many
 * moved. On a `standalone` server one `ready-due.lua` call first names the
 * shards that hold such a key, and only those are visited.
 *
 * @example
 * ```ts
 * const moved = await requeueAcross(shards, now - 300_000, now, run);
 * ```
 */
export async function requeueAcross(
  shards: readonly ShardKeys[],
  deadline: number,
  now: number,
  run: RunScript,
  standalone = false,
): Promise<number> {
  let visit = shards;
  if (standalone && shards.length > 1) {
    // One read-only call names the shards with something to rescue.
    const due = (await run(
      SCRIPTS.readyDue,
      shards.map((shard) => shard.ready),
      [numberArgument(deadline)],
      `MAINTENANCE ${shards.length} shards ≤ ${deadline}`,
    )) as number[];
    visit = due.map((index) => shards[index]!);
  }
  const counts = await Promise.all(
    visit.map((shard) =>
      chunked(
        run,
        SCRIPTS.requeue,
        [shard.waiting, shard.ready],
        [shard.prefix, numberArgument(deadline), numberArgument(now)],
        `MAINTENANCE shard ${shard.index} ≤ ${deadline}`,
      ),
    ),
  );
  return counts.reduce((sum, moved) => sum + moved, 0);
}

/**
 * `expire` over every shard at once: timelines untouched since
 * `touchedBefore` whose lease is not held are discarded (`expire.lua`,
 * 1 000 keys per call). Resolves how many went.
 *
 * @example
 * ```ts
 * const discarded = await expireAcross(shards, now - ttl, now, run);
 * ```
 */
export async function expireAcross(
  shards: readonly ShardKeys[],
  touchedBefore: number,
  now: number,
  run: RunScript,
): Promise<number> {
  const counts = await Promise.all(
    shards.map((shard) =>
      chunked(
        run,
        SCRIPTS.expire,
        [shard.waiting, shard.ready, shard.touched],
        [shard.prefix, numberArgument(touchedBefore), numberArgument(now)],
        `EXPIRE shard ${shard.index} ≤ ${touchedBefore}`,
      ),
    ),
  );
  return counts.reduce((sum, discarded) => sum + discarded, 0);
}

/** Runs a `{done, kept, seen}` script chunk by chunk; resolves the sum of `done`. */
async function chunked(
  run: RunScript,
  script: LuaScript,
  keys: string[],
  args: string[],
  detail: string,
): Promise<number> {
  let done = 0;
  let offset = 0;
  for (;;) {
    const reply = (await run(
      script,
      keys,
      [...args, String(offset), String(MAINTENANCE_CHUNK)],
      detail,
    )) as number[];
    done += reply[0]!;
    offset += reply[1]!;
    if (reply[2]! < MAINTENANCE_CHUNK) return done;
  }
}
