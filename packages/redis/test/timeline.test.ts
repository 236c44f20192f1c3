import {
  DigestWorker,
  runWithTimeline,
  type TimedAction,
  Timeline,
  timelineOf,
} from '@digests/core';
import { RedisBackend, shardKeys, shardOf } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dropNamespace, uniqueNamespace } from './support/namespace-keys.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();
const T = 1_700_000_000_000;
const SHARDS = 4;
const KEY = 'mail:p:1';
const SHARD = shardOf(KEY, SHARDS);

function details(actions: readonly TimedAction[]): string[] {
  return actions.map((action) => `${action.category} ${action.detail}`);
}

describe.skipIf(!available)('every Redis round trip is a `redis` action of the timeline', () => {
  let client: Redis;
  let now = T;
  const namespaces: string[] = [];

  function backend(): RedisBackend<string> {
    const namespace = uniqueNamespace('timed');
    namespaces.push(namespace);
    return new RedisBackend({ client, namespace, shards: SHARDS, clock: () => now });
  }

  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    now = T;
    vi.restoreAllMocks();
    for (const namespace of namespaces.splice(0)) await dropNamespace(client, namespace);
  });
  afterAll(async () => {
    await client.quit();
  });

  it('add + digest + schedule record their statements in order, with durations ≥ 0', async () => {
    const b = backend();
    const timeline = await runWithTimeline(async (timeline) => {
      expect(await b.add(KEY, { key: 'e1', value: 'disk full', timestamp: T })).toBe(true);
      now = T + 1_000;
      await b.digest(KEY, (records) => records.length);
      const due = T + 1_000 + 300_000;
      const yielded = [];
      for await (const entry of b.schedule(due)) yielded.push(entry.key);
      expect(yielded).toEqual([KEY]);
      await b.inspect(KEY);
      await b.maintenance(due);
      return timeline;
    });
    const due = T + 301_000;
    // A standalone server: one read of every shard names the shard with a
    // ready key to rescue (the one scheduled above), then only it is visited.
    const maintenance = [
      `redis MAINTENANCE ${SHARDS} shards ≤ ${due}`,
      `redis MAINTENANCE shard ${SHARD} ≤ ${due}`,
    ];
    expect(details(timeline.actions)).toEqual([
      `redis ADD ${KEY}`,
      `redis OPEN ${KEY}`,
      `redis COMMIT ${KEY}`,
      // A standalone server: one claim-all script per chunk, the last one empty.
      `redis SCHEDULE ${SHARDS} shards ≤ ${due}`,
      `redis SCHEDULE ${SHARDS} shards ≤ ${due}`,
      `redis INSPECT ${KEY}`,
      ...maintenance,
    ]);
    for (const action of timeline.actions) {
      expect(action.duration).toBeGreaterThanOrEqual(0);
      expect(action.start).toBeGreaterThanOrEqual(0);
      expect(action).not.toHaveProperty('error');
    }
    expect(timeline.summary().categories.redis?.count).toBe(timeline.actions.length);
  });

  it('a failed digest: the worker attaches its timeline to the error', async () => {
    const b = backend();
    const failure = new Error('SMTP 451');
    const logged: unknown[] = [];
    const worker = new DigestWorker({
      backend: b,
      deliver: async () => {
        throw failure;
      },
      logger: { warn: () => undefined, error: (_, context) => logged.push(context?.error) },
    });
    // The first record makes the key ready: the worker digests it at once.
    await worker.add(KEY, { key: 'e1', value: 'disk full', timestamp: T });
    expect(logged).toEqual([failure]);
    const timeline = timelineOf(failure);
    expect(timeline).toBeDefined();
    expect(details(timeline?.actions ?? [])).toEqual([
      `redis OPEN ${KEY}`,
      `deliver ${KEY}`,
      `redis RELEASE ${KEY}`,
    ]);
    expect(timeline?.actions[1]?.error).toBe(failure);
    await worker.stop();
  });

  it('a failed bare digest leaves its statements in the active timeline', async () => {
    const b = backend();
    await b.add(KEY, { key: 'e1', value: 'disk full', timestamp: T });
    const timeline = new Timeline();
    const error = await runWithTimeline(
      () =>
        b
          .digest(KEY, () => {
            throw new Error('nope');
          })
          .catch((rejected: unknown) => rejected),
      timeline,
    );
    expect((error as Error).message).toBe('nope');
    expect(details(timeline.actions)).toEqual([`redis OPEN ${KEY}`, `redis RELEASE ${KEY}`]);
  });

  it('a statement that fails is recorded with its error', async () => {
    const b = backend();
    await client.set(shardKeys(b.namespace, SHARD).ready, 'not a sorted set');
    const timeline = new Timeline();
    const error = await runWithTimeline(
      () => b.add(KEY, { key: 'e1', value: 'x', timestamp: T }).catch((e: unknown) => e),
      timeline,
    );
    expect((error as Error).message).toMatch(/WRONGTYPE/);
    const [action] = timeline.actions;
    expect(details(timeline.actions)).toEqual([`redis ADD ${KEY}`]);
    expect(action?.error).toBe(error);
  });

  it('without an active timeline nothing is recorded', async () => {
    const b = backend();
    const start = vi.spyOn(Timeline.prototype, 'start');
    // A timeline active elsewhere at the same time must not pick them up either.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const other = new Timeline();
    const elsewhere = runWithTimeline(() => gate, other);
    await b.add(KEY, { key: 'e1', value: 'x', timestamp: T });
    await b.digest(KEY, () => undefined);
    for await (const _ of b.schedule(Number.POSITIVE_INFINITY));
    await b.inspect(KEY);
    await b.maintenance(T);
    release();
    await elsewhere;
    expect(start).not.toHaveBeenCalled();
    expect(other.actions).toEqual([]);
  });
});
