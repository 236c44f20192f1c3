import {
  type AddEntry,
  type AddManySource,
  type AddOptions,
  assertDeadline,
  assertValidKey,
  type Backend,
  type BackendStats,
  type CheckedAdd,
  checkAdd,
  checkAddMany,
  checkDigest,
  chunkSize,
  type DigestFunction,
  type DigestOptions,
  type ResolvedOptions,
  resolveOptions,
  runLeasedDigest,
  type ScheduleEntry,
  type ScheduleOptions,
  type StatsSource,
  type TimelineInfo,
  type TimelineRecord,
} from '@digests/core';
import { closeClient, openClient } from './connection.js';
import { type ShardKeys, shardKeys, shardOf, type TimelineKeys, timelineKeys } from './keys.js';
import { openDigest } from './lease.js';
import type { LuaScript, RedisClient, ScriptArgument } from './lua-script.js';
import { type RedisBackendOptions, resolveConnection } from './redis-backend-options.js';
import { redisCommand } from './redis-command.js';
import { numberArgument, score } from './replies.js';
import { scheduleAcross } from './schedule-merge.js';
import { ADD } from './scripts/add.js';
import { ADD_MANY } from './scripts/add-many.js';
import { EXPIRE, RESCUE_READY } from './scripts/maintenance.js';
import { DELETE, FLUSH, INSPECT } from './scripts/timeline.js';
import { countShards } from './stats.js';
import { toBackendError } from './transient.js';

/** How many keys one maintenance script call visits. */
const MAINTENANCE_CHUNK = 1000;

/** How many entries one `addMany` script call takes at most (keeps each script short). */
const ADD_MANY_CHUNK = 500;

/**
 * A digests backend on Redis (standalone or Cluster) through ioredis. Every
 * state change of one operation is one Lua script call; timelines are spread
 * over `shards` hash slots so the scripts stay atomic on a cluster. The key
 * layout is in `keys.ts` and the package README.
 *
 * It times itself: every round trip is a `redis` action (`ADD mail:p:1`,
 * `ADD_MANY shard 3 ×120`, `OPEN …`, `COMMIT …`, `SCHEDULE shard 3 ≤ …`) in the active action
 * timeline and, with a tracer provider, a span — no `TimedBackend` needed.
 *
 * @example
 * ```ts
 * import { RedisBackend } from '@digests/redis';
 *
 * const backend = new RedisBackend<{ text: string }>({ url: 'redis://127.0.0.1:6379', namespace: 'mail' });
 * await backend.add('mail:p:1', { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() });
 * for await (const { key } of backend.schedule(Date.now())) {
 *   await backend.digest(key, (records) => send(records));
 * }
 * await backend.close();
 * ```
 */
export class RedisBackend<V = unknown> implements Backend<V>, StatsSource, AddManySource<V> {
  readonly #options: ResolvedOptions<V>;
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #namespace: string;
  readonly #shards: readonly ShardKeys[];

  constructor(options: RedisBackendOptions<V> = {}) {
    this.#options = resolveOptions(options);
    const connection = resolveConnection(options as RedisBackendOptions<unknown>);
    this.#namespace = connection.namespace;
    this.#shards = Array.from({ length: connection.shards }, (_, shard) =>
      shardKeys(connection.namespace, shard),
    );
    this.#owned = connection.client === undefined;
    this.#client = connection.client ?? openClient(connection.url);
  }

  /** The namespace every key of this backend starts with (`{namespace:shard}`). */
  get namespace(): string {
    return this.#namespace;
  }

  /** The ioredis client this backend talks through. */
  get client(): RedisClient {
    return this.#client;
  }

  async add(key: string, record: TimelineRecord<V>, options?: AddOptions): Promise<boolean> {
    const add = checkAdd(key, record, options, this.#options);
    const { shard, keys } = this.#locate(add.key);
    const reply = await this.#run(
      ADD,
      [keys.timeline, keys.values, keys.last, shard.waiting, shard.ready, shard.touched],
      [
        ...this.#recordArguments(add),
        numberArgument(add.incrementDelay),
        numberArgument(add.maximumDelay),
        this.#touchedArgument(),
      ],
      `ADD ${add.key}`,
    );
    return reply === 1;
  }

  /**
   * Like `add` on each entry in order, with one script call per shard per
   * 500 entries; the shards' calls run concurrently (each
   * touches one hash slot, so this works on a cluster). Every entry is
   * validated and encoded before anything is written. Each entry is atomic;
   * if a call fails, the other shards' calls are still awaited, then the
   * first error is thrown: within each shard a prefix of its entries is
   * applied, and retrying the batch is safe.
   *
   * @example
   * ```ts
   * const firsts = await backend.addMany([
   *   { key: 'mail:p:1', record: { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() } },
   *   { key: 'mail:p:2', record: { key: 'e2', value: { text: 'cpu hot' }, timestamp: Date.now() } },
   * ]);
   * ```
   */
  async addMany(entries: readonly AddEntry<V>[], options?: AddOptions): Promise<boolean[]> {
    const checked = checkAddMany(entries, options, this.#options);
    const results = new Array<boolean>(checked.length).fill(false);
    if (checked.length === 0) return results;
    // Entry indices per shard, in batch order: a timeline's entries keep their order.
    const byShard = new Map<ShardKeys, number[]>();
    for (const [i, add] of checked.entries()) {
      const shard = this.#shards[shardOf(add.key, this.#shards.length)]!;
      const indices = byShard.get(shard);
      if (indices === undefined) byShard.set(shard, [i]);
      else indices.push(i);
    }
    const { incrementDelay, maximumDelay } = checked[0]!;
    const head = [
      numberArgument(incrementDelay),
      numberArgument(maximumDelay),
      this.#touchedArgument(),
    ];
    const settled = await Promise.allSettled(
      [...byShard].map(async ([shard, indices]) => {
        // One shard's chunks go one after another, so its entries apply in order.
        for (let start = 0; start < indices.length; start += ADD_MANY_CHUNK) {
          const chunk = indices.slice(start, start + ADD_MANY_CHUNK);
          const keys: string[] = [shard.waiting, shard.ready, shard.touched];
          const args: ScriptArgument[] = [...head];
          for (const i of chunk) {
            const add = checked[i]!;
            const timeline = timelineKeys(shard, add.key);
            keys.push(timeline.timeline, timeline.values, timeline.last);
            args.push(...this.#recordArguments(add));
          }
          const reply = (await this.#run(
            ADD_MANY,
            keys,
            args,
            `ADD_MANY shard ${shard.index} ×${chunk.length}`,
          )) as number[];
          for (const [j, i] of chunk.entries()) results[i] = reply[j] === 1;
        }
      }),
    );
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    return results;
  }

  /** key, record key, timestamp, value, capacity ('' = no trim): what `add_record` takes per record. */
  #recordArguments(add: CheckedAdd): ScriptArgument[] {
    const { capacity } = this.#options;
    return [
      add.key,
      add.recordKey,
      numberArgument(add.timestamp),
      typeof add.value === 'string' ? add.value : bytes(add.value),
      add.truncate && capacity !== undefined ? String(capacity) : '',
    ];
  }

  /** The `touched` score of an add: now, or '' without `ttl` (no bookkeeping). */
  #touchedArgument(): string {
    return this.#options.ttl === undefined ? '' : numberArgument(this.#options.clock());
  }

  async digest<R>(key: string, fn: DigestFunction<V, R>, options?: DigestOptions): Promise<R> {
    const checked = checkDigest(key, fn, options, this.#options);
    const { shard, keys } = this.#locate(checked.key);
    const session = await openDigest(this.#runScript, this.#options, {
      key: checked.key,
      shard,
      keys,
      minimumDelay: checked.minimumDelay,
    });
    return runLeasedDigest(session, fn, this.#options.leaseDuration);
  }

  schedule(deadline: number, options?: ScheduleOptions): AsyncIterable<ScheduleEntry> {
    assertDeadline(deadline);
    const size = chunkSize(options?.chunkSize);
    return scheduleAcross(
      this.#shards,
      numberArgument(deadline),
      size,
      this.#runScript,
      (detail, command, ...args) => redisCommand(this.#client, detail, command, ...args),
    );
  }

  async maintenance(deadline: number): Promise<number> {
    assertDeadline(deadline);
    const now = this.#options.clock();
    const { ttl } = this.#options;
    const counts = await Promise.all(
      this.#shards.map(async (shard) => {
        const moved = await this.#chunked(
          RESCUE_READY,
          [shard.waiting, shard.ready],
          [shard.prefix, numberArgument(deadline), numberArgument(now)],
          `MAINTENANCE shard ${shard.index} ≤ ${deadline}`,
        );
        if (ttl !== undefined) {
          await this.#chunked(
            EXPIRE,
            [shard.waiting, shard.ready, shard.touched],
            [shard.prefix, numberArgument(now - ttl), numberArgument(now)],
            `EXPIRE shard ${shard.index} ≤ ${now - ttl}`,
          );
        }
        return moved;
      }),
    );
    return counts.reduce((sum, moved) => sum + moved, 0);
  }

  /** Runs a `{done, kept, seen}` script chunk by chunk; resolves the sum of `done`. */
  async #chunked(
    script: LuaScript,
    keys: string[],
    args: string[],
    detail: string,
  ): Promise<number> {
    let done = 0;
    let offset = 0;
    for (;;) {
      const reply = (await this.#run(
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

  async flush(key: string): Promise<void> {
    assertValidKey(key);
    const { shard } = this.#locate(key);
    await this.#run(
      FLUSH,
      [shard.waiting, shard.ready],
      [key, numberArgument(this.#options.clock())],
      `FLUSH ${key}`,
    );
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    const { shard, keys } = this.#locate(key);
    await this.#run(
      DELETE,
      [
        keys.timeline,
        keys.values,
        keys.snapshot,
        keys.snapshotValues,
        keys.last,
        keys.lease,
        shard.waiting,
        shard.ready,
        shard.touched,
      ],
      [key],
      `DELETE ${key}`,
    );
  }

  async inspect(key: string): Promise<TimelineInfo> {
    assertValidKey(key);
    const { shard, keys } = this.#locate(key);
    const [ready, waiting, size, last] = (await this.#run(
      INSPECT,
      [keys.timeline, keys.snapshot, keys.last, shard.waiting, shard.ready],
      [key],
      `INSPECT ${key}`,
    )) as [unknown, unknown, number, unknown];
    const extra = last === null ? {} : { lastProcessed: score(last) };
    if (ready !== null) return { state: 'ready', score: score(ready), size, ...extra };
    if (waiting !== null) return { state: 'waiting', score: score(waiting), size, ...extra };
    return { state: 'absent', size, ...extra };
  }

  /** Counts every shard: waiting and ready keys, records held, the next due score. */
  stats(): Promise<BackendStats> {
    return countShards(this.#shards, this.#runScript);
  }

  async close(): Promise<void> {
    if (this.#owned) await closeClient(this.#client);
  }

  #locate(key: string): { shard: ShardKeys; keys: TimelineKeys } {
    const shard = this.#shards[shardOf(key, this.#shards.length)]!;
    return { shard, keys: timelineKeys(shard, key) };
  }

  readonly #runScript = (
    script: LuaScript,
    keys: readonly ScriptArgument[],
    args: readonly ScriptArgument[],
    detail: string,
  ): Promise<unknown> => this.#run(script, keys, args, detail);

  /** One script call: one `redis` action in the current timeline (see `LuaScript.run`). */
  async #run(
    script: LuaScript,
    keys: readonly ScriptArgument[],
    args: readonly ScriptArgument[],
    detail: string,
  ): Promise<unknown> {
    try {
      return await script.run(this.#client, keys, args, detail);
    } catch (error) {
      throw toBackendError(error);
    }
  }
}

function bytes(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value)
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
