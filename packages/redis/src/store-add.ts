import type { StoreAdd, StoreContext } from '@digests/core';
import type { ShardKeys } from './keys.js';
import type { ScriptArgument, SendScript } from './lua-script.js';
import { numberArgument } from './replies.js';
import { SCRIPTS } from './scripts.js';

/** How many adds one `add-many` script call takes (keeps each script short). */
export const ADD_MANY_CHUNK = 500;

/**
 * Applies a store's adds: one `add` script for a single add, else one
 * `add-many` call per shard per {@link ADD_MANY_CHUNK} adds, the shards'
 * calls at once (each touches one hash slot). A shard's adds apply in batch
 * order. If a call fails, the other shards' calls are still awaited, then
 * the first error is thrown: within each shard a prefix of its adds is
 * applied.
 *
 * A single add is the hot path: its `EVALSHA` arguments are built in one
 * array, only the timeline keys the script takes, and the action's name
 * (`ADD <key>`) only when a timeline or tracer records it.
 *
 * @example
 * ```ts
 * const firsts = await applyAdds(adds, context, (key) => shards[shardOf(key, 16)], send);
 * ```
 */
export function applyAdds(
  adds: readonly StoreAdd[],
  context: StoreContext,
  shardFor: (key: string) => ShardKeys,
  send: SendScript,
): Promise<boolean[]> {
  const now = numberArgument(context.now);
  const touch = context.touch ? now : '';
  if (adds.length === 1) {
    const add = adds[0]!;
    const { key } = add;
    const shard = shardFor(key);
    const { prefix } = shard;
    const argv: ScriptArgument[] = [
      '7',
      `${prefix}timeline:${key}`,
      `${prefix}values:${key}`,
      `${prefix}last:${key}`,
      `${prefix}snapshot:${key}`,
      shard.waiting,
      shard.ready,
      shard.touched,
    ];
    pushAddArguments(argv, add);
    argv.push(now, touch);
    return send(SCRIPTS.add, argv, () => `ADD ${key}`).then((reply) => [reply === 1]);
  }
  return addMany(adds, now, touch, shardFor, send);
}

async function addMany(
  adds: readonly StoreAdd[],
  now: string,
  touch: string,
  shardFor: (key: string) => ShardKeys,
  send: SendScript,
): Promise<boolean[]> {
  const results = new Array<boolean>(adds.length).fill(false);
  const byShard = new Map<ShardKeys, number[]>();
  for (const [i, add] of adds.entries()) {
    const shard = shardFor(add.key);
    const indices = byShard.get(shard);
    if (indices === undefined) byShard.set(shard, [i]);
    else indices.push(i);
  }
  const settled = await Promise.allSettled(
    [...byShard].map(async ([shard, indices]) => {
      // One shard's chunks go one after another, so its adds apply in order.
      for (let start = 0; start < indices.length; start += ADD_MANY_CHUNK) {
        const chunk = indices.slice(start, start + ADD_MANY_CHUNK);
        const keys: ScriptArgument[] = [shard.waiting, shard.ready, shard.touched];
        const args: ScriptArgument[] = [now, touch];
        const { prefix } = shard;
        for (const i of chunk) {
          const add = adds[i]!;
          keys.push(
            `${prefix}timeline:${add.key}`,
            `${prefix}values:${add.key}`,
            `${prefix}last:${add.key}`,
            `${prefix}snapshot:${add.key}`,
          );
          pushAddArguments(args, add);
        }
        const reply = (await send(
          SCRIPTS.addMany,
          [String(keys.length), ...keys, ...args],
          () => `ADD_MANY shard ${shard.index} ×${chunk.length}`,
        )) as number[];
        for (const [j, i] of chunk.entries()) results[i] = reply[j] === 1;
      }
    }),
  );
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return results;
}

/** Appends what `add_record` takes per add: see `scripts/includes/add-record.lua`. */
function pushAddArguments(argv: ScriptArgument[], add: StoreAdd): void {
  const { record } = add;
  argv.push(
    add.key,
    record.key,
    numberArgument(record.timestamp),
    typeof record.value === 'string' ? record.value : bytes(record.value),
    add.trimTo === undefined ? '' : String(add.trimTo),
    numberArgument(add.incrementDelay),
    numberArgument(add.maximumDelay),
    add.dueAt === undefined ? '' : numberArgument(add.dueAt),
    add.flushThreshold === undefined ? '' : String(add.flushThreshold),
  );
}

function bytes(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value)
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
