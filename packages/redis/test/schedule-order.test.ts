import { earliestFirst, type ScheduleEntry } from '@digests/core';
import { RedisBackend, redisCommand, shardOf } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { claimAcross, earliestOf, type RunCommand } from '../src/claim.js';
import { shardKeys } from '../src/keys.js';
import type { RunScript } from '../src/lua-script.js';
import { dropNamespace, uniqueNamespace } from './support/namespace-keys.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();
const SHARDS = 4;

/** A key starting with `prefix` that lives in `shard`. */
function inShard(prefix: string, shard: number): string {
  for (let i = 0; ; i++) if (shardOf(`${prefix}${i}`, SHARDS) === shard) return `${prefix}${i}`;
}

/** Two timeline keys in different shards. */
function twoShards(): [string, string] {
  const a = 'a';
  for (let i = 0; ; i++) {
    const b = `b${i}`;
    if (shardOf(b, SHARDS) !== shardOf(a, SHARDS)) return [a, b];
  }
}

describe('earliestOf', () => {
  it('picks the globally earliest members, ties by key code point', () => {
    const picked = earliestOf(
      [
        [
          { key: 'a1', timestamp: 1 },
          { key: 'a2', timestamp: 5 },
        ],
        [
          { key: 'b1', timestamp: 2 },
          { key: 'b2', timestamp: 3 },
        ],
        [{ key: '😀', timestamp: 2 }],
      ],
      3,
    );
    expect(picked).toEqual([['a1'], ['b1'], ['😀']]);
  });
});

describe.skipIf(!available)('schedule across shards with a concurrent scheduler', () => {
  let client: Redis;
  const namespaces: string[] = [];

  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    for (const namespace of namespaces.splice(0)) await dropNamespace(client, namespace);
  });
  afterAll(async () => {
    await client.quit();
  });

  it('moves exactly the peeked members: a member taken in between is never replaced by a later one', async () => {
    const namespace = uniqueNamespace('order');
    namespaces.push(namespace);
    const [a, b] = twoShards();
    const late = inShard('late', shardOf(a, SHARDS));
    const next = inShard('next', shardOf(b, SHARDS));
    const backend = new RedisBackend({ client, namespace, shards: SHARDS, minimumDelay: 0 });
    const shards = Array.from({ length: SHARDS }, (_, shard) => shardKeys(namespace, shard));
    // One shard: a@1, late@5. Another: b@2, next@3. All waiting and due.
    await client.zadd(shards[shardOf(a, SHARDS)]!.waiting, 1, a, 5, late);
    await client.zadd(shards[shardOf(b, SHARDS)]!.waiting, 2, b, 3, next);

    const run: RunScript = (script, keys, args, detail) => script.run(client, keys, args, detail);
    let interfered = false;
    const call: RunCommand = (detail, command, ...args) =>
      redisCommand(client, detail, command, ...args);
    // After this scheduler has peeked every shard, another one claims a@1.
    const interfering: RunCommand = async (detail, command, ...args) => {
      const reply = await call(detail, command, ...args);
      if (!interfered && detail.startsWith(`PEEK shard ${shards.length - 1}`)) {
        interfered = true;
        const other = await claimAcross(shards, '+inf', 1, run, call);
        expect(other).toEqual([{ key: a, timestamp: 1 }]);
      }
      return reply;
    };
    const chunk = await claimAcross(shards, '+inf', 2, run, interfering);
    expect(interfered).toBe(true);
    // Peeked a@1 and b@2; a@1 was taken: only b@2 moves. Moving counts would
    // have moved late@5 in its place, ahead of next@3.
    expect(chunk).toEqual([{ key: b, timestamp: 2 }]);
    const rest: ScheduleEntry[] = [];
    for await (const entry of backend.schedule(Number.POSITIVE_INFINITY)) rest.push(entry);
    expect(rest).toEqual([
      { key: next, timestamp: 3 },
      { key: late, timestamp: 5 },
    ]);
    expect([...chunk, ...rest]).toEqual([...chunk, ...rest].sort(earliestFirst));
  });

  it('when every peeked member was taken, it looks again instead of ending the schedule', async () => {
    const namespace = uniqueNamespace('order');
    namespaces.push(namespace);
    const [a, b] = twoShards();
    const shards = Array.from({ length: SHARDS }, (_, shard) => shardKeys(namespace, shard));
    await client.zadd(shards[shardOf(a, SHARDS)]!.waiting, 1, a);
    await client.zadd(shards[shardOf(b, SHARDS)]!.waiting, 2, b);
    const run: RunScript = (script, keys, args, detail) => script.run(client, keys, args, detail);
    const call: RunCommand = (detail, command, ...args) =>
      redisCommand(client, detail, command, ...args);
    let peeks = 0;
    const interfering: RunCommand = async (detail, command, ...args) => {
      const reply = await call(detail, command, ...args);
      if (detail.startsWith(`PEEK shard ${shards.length - 1}`) && ++peeks === 1) {
        // Another scheduler takes a@1, the only member this one will pick.
        await claimAcross(shards, '+inf', 1, run, call);
      }
      return reply;
    };
    expect(await claimAcross(shards, '+inf', 1, run, interfering)).toEqual([
      { key: b, timestamp: 2 },
    ]);
    expect(peeks).toBe(2);
  });
});
