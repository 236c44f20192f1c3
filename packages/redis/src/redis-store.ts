import type {
  BackendStats,
  CommitRequest,
  DigestStore,
  ListEntry,
  ListRequest,
  OpenRequest,
  OpenResult,
  PeekedStoredRecord,
  PeekRequest,
  ScheduleEntry,
  StoreAdd,
  StoreContext,
  StoredRecord,
  StoreInfo,
} from '@digests/core';
import { claimAcross } from './claim.js';
import { closeClient, describeClient, openClient, redactUrl } from './connection.js';
import { type ShardKeys, shardKeys, shardOf, shardPattern, timelineKeys } from './keys.js';
import { leaseKeyLifetime } from './lease.js';
import { listAcross } from './list.js';
import type { LuaScript, RedisClient, ScriptArgument } from './lua-script.js';
import { masters } from './masters.js';
import { redisCommand } from './redis-command.js';
import { newestFirst, numberArgument, readPeeked, readRecords, score } from './replies.js';
import { SCRIPTS } from './scripts.js';
import { countShards } from './stats.js';
import { connectionReason, isTransient } from './transient.js';

/** How many keys one maintenance script call visits. */
const MAINTENANCE_CHUNK = 1000;

/** How many adds one `add-many` script call takes (keeps each script short). */
const ADD_MANY_CHUNK = 500;

/**
 * Where a {@link RedisStore} connects and how it names its keys (already
 * validated by `resolveConnection`).
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { url: 'redis://127.0.0.1:6379', namespace: 'mail', shards: 16 };
 * ```
 */
export interface RedisStoreOptions {
  /** A given client (never closed by the store); else one is opened from `url`. */
  readonly client?: RedisClient | undefined;
  readonly url: string;
  readonly namespace: string;
  readonly shards: number;
  /** The owned client's `commandTimeout` (the backend's `operationTimeout`). */
  readonly operationTimeout?: number;
}

/**
 * Core's {@link DigestStore} on Redis (standalone or Cluster): every step is
 * one Lua script call on one shard (`scripts/*.lua`), so it is atomic on a
 * cluster too; timelines are spread over `shards` hash slots. `claim`,
 * `requeue`, `expire`, `list` and `stats` visit every shard. The key layout
 * is in `keys.ts` and the package README.
 *
 * Every round trip is a `redis` action (`ADD mail:p:1`, `OPEN …`,
 * `SCHEDULE shard 3 ≤ …`) in the active action timeline and, with a tracer
 * provider, a span.
 *
 * @example
 * ```ts
 * import { StoreBackend } from '@digests/core';
 * import { RedisStore } from '@digests/redis';
 *
 * const backend = new StoreBackend(new RedisStore({ url, namespace: 'mail', shards: 16 }));
 * ```
 */
export class RedisStore implements DigestStore {
  readonly maxBatch = 5_000;
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #url: string | undefined;
  readonly #namespace: string;
  readonly #shards: readonly ShardKeys[];
  /** The owned client's last connection failure, to say why a call failed. */
  #lastConnectionError: unknown;

  constructor(options: RedisStoreOptions) {
    this.#namespace = options.namespace;
    this.#shards = Array.from({ length: options.shards }, (_, shard) =>
      shardKeys(options.namespace, shard),
    );
    if (options.client === undefined) {
      this.#owned = true;
      this.#url = options.url;
      const client = openClient(options.url, options.operationTimeout);
      client.on('error', (error: unknown) => {
        this.#lastConnectionError = error;
      });
      client.on('ready', () => {
        this.#lastConnectionError = undefined;
      });
      this.#client = client;
    } else {
      this.#owned = false;
      this.#url = undefined;
      this.#client = options.client;
    }
  }

  /** `Redis at redis://host:6379` (no password), or what a given client points at. */
  get description(): string {
    return this.#url === undefined
      ? describeClient(this.#client)
      : `Redis at ${redactUrl(this.#url)}`;
  }

  /** The namespace every key starts with (`{namespace:shard}`). */
  get namespace(): string {
    return this.#namespace;
  }

  /** The ioredis client the store talks through. */
  get client(): RedisClient {
    return this.#client;
  }

  /**
   * Applies the adds: one `add` script for a single add, else one
   * `add-many` call per shard per 500 adds, the shards' calls at once (each
   * touches one hash slot). A shard's adds apply in batch order. If a call
   * fails, the other shards' calls are still awaited, then the first error
   * is thrown: within each shard a prefix of its adds is applied.
   */
  async add(adds: readonly StoreAdd[], context: StoreContext): Promise<boolean[]> {
    const now = numberArgument(context.now);
    const touch = context.touch ? now : '';
    if (adds.length === 1) {
      const add = adds[0]!;
      const shard = this.#shardOf(add.key);
      const keys = timelineKeys(shard, add.key);
      const reply = await this.#run(
        SCRIPTS.add,
        [
          keys.timeline,
          keys.values,
          keys.last,
          keys.snapshot,
          shard.waiting,
          shard.ready,
          shard.touched,
        ],
        [...addArguments(add), now, touch],
        `ADD ${add.key}`,
      );
      return [reply === 1];
    }
    const results = new Array<boolean>(adds.length).fill(false);
    const byShard = new Map<ShardKeys, number[]>();
    for (const [i, add] of adds.entries()) {
      const shard = this.#shardOf(add.key);
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
          for (const i of chunk) {
            const add = adds[i]!;
            const timeline = timelineKeys(shard, add.key);
            keys.push(timeline.timeline, timeline.values, timeline.last, timeline.snapshot);
            args.push(...addArguments(add));
          }
          const reply = (await this.#run(
            SCRIPTS.addMany,
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

  async open(request: OpenRequest): Promise<OpenResult> {
    const { key, now, expiresAt } = request;
    const shard = this.#shardOf(key);
    const keys = timelineKeys(shard, key);
    const reply = (await this.#run(
      SCRIPTS.open,
      [
        keys.timeline,
        keys.values,
        keys.snapshot,
        keys.snapshotValues,
        keys.lease,
        shard.ready,
        shard.touched,
      ],
      [
        key,
        numberArgument(now),
        request.token,
        numberArgument(expiresAt),
        String(leaseKeyLifetime(expiresAt, now)),
        request.capacity === undefined ? '' : String(request.capacity),
        request.limit === undefined ? '' : String(request.limit),
        request.touch ? numberArgument(now) : '',
      ],
      `OPEN ${key}`,
    )) as unknown[];
    const outcome = String(reply[0]);
    if (outcome === 'conflict') return { outcome: 'conflict' };
    if (outcome === 'not-ready') return { outcome: 'not-ready' };
    return {
      outcome: 'opened',
      records: newestFirst(reply[1] as unknown[], reply[2] as unknown[]),
    };
  }

  async renew(key: string, token: string, expiresAt: number): Promise<boolean> {
    const keys = timelineKeys(this.#shardOf(key), key);
    const reply = await this.#run(
      SCRIPTS.renew,
      [keys.lease],
      [token, numberArgument(expiresAt)],
      `RENEW ${key}`,
    );
    return reply === 1;
  }

  async release(key: string, token: string): Promise<void> {
    const keys = timelineKeys(this.#shardOf(key), key);
    await this.#run(SCRIPTS.release, [keys.lease], [token], `RELEASE ${key}`);
  }

  async quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void> {
    const keys = timelineKeys(this.#shardOf(key), key);
    await this.#run(
      SCRIPTS.quarantine,
      [keys.snapshot, keys.snapshotValues, keys.quarantine, keys.quarantineValues, keys.lease],
      [token, ...recordKeys],
      `QUARANTINE ${key} ×${recordKeys.length}`,
    );
  }

  async commit(request: CommitRequest): Promise<boolean> {
    const { key, now } = request;
    const shard = this.#shardOf(key);
    const keys = timelineKeys(shard, key);
    const reply = await this.#run(
      SCRIPTS.commit,
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
      [
        key,
        request.token,
        numberArgument(now),
        numberArgument(now + request.minimumDelay),
        request.touch ? '1' : '',
        ...(request.delivered === undefined ? ['all'] : ['named', ...request.delivered]),
      ],
      `COMMIT ${key}`,
    );
    return reply !== 0;
  }

  claim(deadline: number, limit: number): Promise<ScheduleEntry[]> {
    return claimAcross(
      this.#shards,
      numberArgument(deadline),
      limit,
      this.#runScript,
      (detail, command, ...args) =>
        redisCommand(this.#client, detail, command, ...args).catch((error: unknown) => {
          throw this.#explain(error);
        }),
    );
  }

  async requeue(deadline: number, now: number): Promise<number> {
    const counts = await Promise.all(
      this.#shards.map((shard) =>
        this.#chunked(
          SCRIPTS.requeue,
          [shard.waiting, shard.ready],
          [shard.prefix, numberArgument(deadline), numberArgument(now)],
          `MAINTENANCE shard ${shard.index} ≤ ${deadline}`,
        ),
      ),
    );
    return counts.reduce((sum, moved) => sum + moved, 0);
  }

  async expire(touchedBefore: number, now: number): Promise<number> {
    const counts = await Promise.all(
      this.#shards.map((shard) =>
        this.#chunked(
          SCRIPTS.expire,
          [shard.waiting, shard.ready, shard.touched],
          [shard.prefix, numberArgument(touchedBefore), numberArgument(now)],
          `EXPIRE shard ${shard.index} ≤ ${touchedBefore}`,
        ),
      ),
    );
    return counts.reduce((sum, discarded) => sum + discarded, 0);
  }

  async flush(key: string, now: number): Promise<void> {
    const shard = this.#shardOf(key);
    await this.#run(
      SCRIPTS.flush,
      [shard.waiting, shard.ready],
      [key, numberArgument(now)],
      `FLUSH ${key}`,
    );
  }

  async delete(key: string): Promise<void> {
    const shard = this.#shardOf(key);
    await this.#run(
      SCRIPTS.delete,
      [shard.waiting, shard.ready, shard.touched],
      [shard.prefix, key],
      `DELETE ${key}`,
    );
  }

  async inspect(key: string): Promise<StoreInfo> {
    const shard = this.#shardOf(key);
    const keys = timelineKeys(shard, key);
    const [ready, waiting, size, last, quarantined] = (await this.#run(
      SCRIPTS.inspect,
      [keys.timeline, keys.snapshot, keys.last, shard.waiting, shard.ready, keys.quarantine],
      [key],
      `INSPECT ${key}`,
    )) as [unknown, unknown, number, unknown, number];
    const extra = last === null ? {} : { lastProcessed: score(last) };
    if (ready !== null) return { state: 'ready', score: score(ready), size, quarantined, ...extra };
    if (waiting !== null) {
      return { state: 'waiting', score: score(waiting), size, quarantined, ...extra };
    }
    return { state: 'absent', size, quarantined, ...extra };
  }

  async remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    const keys = timelineKeys(this.#shardOf(key), key);
    return (await this.#run(
      SCRIPTS.remove,
      [keys.timeline, keys.values, keys.snapshot, keys.snapshotValues, keys.lease],
      [numberArgument(now), ...recordKeys],
      `REMOVE ${key} ×${recordKeys.length}`,
    )) as number;
  }

  list(request: ListRequest): Promise<ListEntry[]> {
    return listAcross(this.#shards, request, this.#runScript);
  }

  /**
   * One page of the key's records (timeline and snapshot) in peek order,
   * read by one read-only script on the key's shard (`scripts/peek.lua`):
   * O(log² n) to find the cursor, O(limit) to read, nothing changed.
   */
  async peek(key: string, request: PeekRequest): Promise<PeekedStoredRecord[]> {
    const keys = timelineKeys(this.#shardOf(key), key);
    const { after, limit } = request;
    const reply = (await this.#run(
      SCRIPTS.peek,
      [keys.timeline, keys.values, keys.snapshot, keys.snapshotValues],
      [
        String(limit),
        after === undefined ? '' : numberArgument(after.timestamp),
        after?.key ?? '',
        after?.inSnapshot === true ? '1' : '',
      ],
      `PEEK ${key}`,
    )) as unknown[];
    return readPeeked(reply);
  }

  async quarantined(key: string): Promise<StoredRecord[]> {
    const keys = timelineKeys(this.#shardOf(key), key);
    const reply = (await this.#run(
      SCRIPTS.quarantined,
      [keys.quarantine, keys.quarantineValues],
      [],
      `QUARANTINED ${key}`,
    )) as unknown[];
    return readRecords(reply);
  }

  async deleteQuarantined(key: string, recordKeys: readonly string[] | undefined): Promise<number> {
    const keys = timelineKeys(this.#shardOf(key), key);
    return (await this.#run(
      SCRIPTS.deleteQuarantined,
      [keys.quarantine, keys.quarantineValues],
      recordKeys === undefined ? ['all'] : ['named', ...recordKeys],
      `DELETE_QUARANTINED ${key}`,
    )) as number;
  }

  /** Counts every shard: waiting and ready keys, records held, the next due score. */
  stats(): Promise<BackendStats> {
    return countShards(this.#shards, this.#runScript);
  }

  /** Keys of this namespace's shards on every master (SCAN; the options hash is not counted). */
  async storedItems(): Promise<number> {
    let count = 0;
    for (const node of masters(this.#client)) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scanBuffer(
          cursor,
          'MATCH',
          shardPattern(this.#namespace),
          'COUNT',
          1000,
        );
        cursor = next.toString();
        count += batch.length;
      } while (cursor !== '0');
    }
    return count;
  }

  isTransient(error: unknown): boolean {
    return isTransient(error);
  }

  async close(): Promise<void> {
    if (this.#owned) await closeClient(this.#client);
  }

  #shardOf(key: string): ShardKeys {
    return this.#shards[shardOf(key, this.#shards.length)]!;
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
      throw this.#explain(error);
    }
  }

  /**
   * A transient connection failure gets its reason in plain words —
   * `connection refused (…)` — from the error itself or, when it does not
   * say (ioredis's "Reached the max retries per request limit"), from the
   * owned client's last connection error; the original is the `cause`.
   * Anything else passes unchanged.
   */
  #explain(error: unknown): unknown {
    if (!(error instanceof Error) || !isTransient(error)) return error;
    const reason = connectionReason(error) ?? connectionReason(this.#lastConnectionError);
    if (reason === undefined || error.message.includes(reason)) return error;
    return new Error(`${reason} (${error.message})`, { cause: error });
  }
}

/** What `add_record` takes per add: see `scripts/includes/add-record.lua`. */
function addArguments(add: StoreAdd): ScriptArgument[] {
  const { record } = add;
  return [
    add.key,
    record.key,
    numberArgument(record.timestamp),
    typeof record.value === 'string' ? record.value : bytes(record.value),
    add.trimTo === undefined ? '' : String(add.trimTo),
    numberArgument(add.incrementDelay),
    numberArgument(add.maximumDelay),
    add.dueAt === undefined ? '' : numberArgument(add.dueAt),
    add.flushThreshold === undefined ? '' : String(add.flushThreshold),
  ];
}

function bytes(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value)
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
