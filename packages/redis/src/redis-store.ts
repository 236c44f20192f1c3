import type * as core from '@digests/core';
import { Cluster } from 'ioredis';
import { claimAcross } from './claim.js';
import { closeClient, describeClient, openClient, redactUrl } from './connection.js';
import { type ShardKeys, shardKeys, shardOf, shardPattern, timelineKeys } from './keys.js';
import { listAcross } from './list.js';
import type { RedisClient, RunScript, SendScript } from './lua-script.js';
import { expireAcross, requeueAcross } from './maintenance.js';
import { redisCommand } from './redis-command.js';
import { numberArgument } from './replies.js';
import { SCRIPTS } from './scripts.js';
import { countShards } from './stats.js';
import { applyAdds } from './store-add.js';
import { DigestSteps } from './store-digest.js';
import { countKeys, inspectKey, peekKey, quarantinedOf } from './store-reads.js';
import { connectionReason, isTransient } from './transient.js';

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
  /**
   * The codec reads a value as text exactly as its UTF-8 bytes (core's
   * `JsonCodec`): a digest may then hand values as strings. Default false:
   * values come back as the stored bytes.
   */
  readonly textValues?: boolean;
}

/**
 * Core's {@link core.DigestStore} on Redis (standalone or Cluster): every step is
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
export class RedisStore implements core.DigestStore {
  readonly maxBatch = 5_000;
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #url: string | undefined;
  readonly #namespace: string;
  readonly #shards: readonly ShardKeys[];
  readonly #digests: DigestSteps;
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
    this.#digests = new DigestSteps(
      this.#client,
      this.#send,
      this.#explainError,
      options.textValues === true,
    );
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

  /** See {@link applyAdds}: one script call for a single add, else one per shard per 500. */
  add(adds: readonly core.StoreAdd[], context: core.StoreContext): Promise<boolean[]> {
    return applyAdds(adds, context, this.#shardOf, this.#send);
  }

  /** See {@link DigestSteps.open}: one round trip, the lease and the records. */
  open(request: core.OpenRequest): Promise<core.OpenResult> {
    return this.#digests.open(this.#shardOf(request.key), request);
  }

  renew(key: string, token: string, expiresAt: number): Promise<boolean> {
    return this.#digests.renew(this.#shardOf(key), key, token, expiresAt);
  }

  release(key: string, token: string): Promise<void> {
    return this.#digests.release(this.#shardOf(key), key, token);
  }

  quarantine(key: string, token: string, recordKeys: readonly string[]): Promise<void> {
    return this.#digests.quarantine(this.#shardOf(key), key, token, recordKeys);
  }

  /** See {@link DigestSteps.commit}: one script call. */
  commit(request: core.CommitRequest): Promise<boolean> {
    return this.#digests.commit(this.#shardOf(request.key), request);
  }

  claim(deadline: number, limit: number): Promise<core.ScheduleEntry[]> {
    return claimAcross(
      this.#shards,
      numberArgument(deadline),
      limit,
      this.#runScript,
      (detail, command, ...args) =>
        redisCommand(this.#client, detail, command, ...args).catch((error: unknown) => {
          throw this.#explain(error);
        }),
      !(this.#client instanceof Cluster),
    );
  }

  requeue(deadline: number, now: number): Promise<number> {
    return requeueAcross(
      this.#shards,
      deadline,
      now,
      this.#runScript,
      !(this.#client instanceof Cluster),
    );
  }

  expire(touchedBefore: number, now: number): Promise<number> {
    return expireAcross(this.#shards, touchedBefore, now, this.#runScript);
  }

  async flush(key: string, now: number): Promise<void> {
    const shard = this.#shardOf(key);
    await this.#runScript(
      SCRIPTS.flush,
      [shard.waiting, shard.ready],
      [key, numberArgument(now)],
      `FLUSH ${key}`,
    );
  }

  async delete(key: string): Promise<void> {
    const shard = this.#shardOf(key);
    await this.#runScript(
      SCRIPTS.delete,
      [shard.waiting, shard.ready, shard.touched],
      [shard.prefix, key],
      `DELETE ${key}`,
    );
  }

  inspect(key: string): Promise<core.StoreInfo> {
    return inspectKey(this.#shardOf(key), key, this.#runScript);
  }

  async remove(key: string, recordKeys: readonly string[], now: number): Promise<number> {
    const keys = timelineKeys(this.#shardOf(key), key);
    return (await this.#runScript(
      SCRIPTS.remove,
      [keys.timeline, keys.values, keys.snapshot, keys.snapshotValues, keys.lease],
      [numberArgument(now), ...recordKeys],
      `REMOVE ${key} ×${recordKeys.length}`,
    )) as number;
  }

  list(request: core.ListRequest): Promise<core.ListEntry[]> {
    return listAcross(this.#shards, request, this.#runScript);
  }

  /** See {@link peekKey}: one read-only script on the key's shard. */
  peek(key: string, request: core.PeekRequest): Promise<core.PeekedStoredRecord[]> {
    return peekKey(this.#shardOf(key), key, request, this.#runScript);
  }

  quarantined(key: string): Promise<core.StoredRecord[]> {
    return quarantinedOf(this.#shardOf(key), key, this.#runScript);
  }

  async deleteQuarantined(key: string, recordKeys: readonly string[] | undefined): Promise<number> {
    const keys = timelineKeys(this.#shardOf(key), key);
    return (await this.#runScript(
      SCRIPTS.deleteQuarantined,
      [keys.quarantine, keys.quarantineValues],
      recordKeys === undefined ? ['all'] : ['named', ...recordKeys],
      `DELETE_QUARANTINED ${key}`,
    )) as number;
  }

  /** Counts every shard: waiting and ready keys, records held, the next due score. */
  stats(): Promise<core.BackendStats> {
    return countShards(this.#shards, this.#runScript);
  }

  /** Keys of this namespace's shards on every master (SCAN; the options hash is not counted). */
  storedItems(): Promise<number> {
    return countKeys(this.#client, shardPattern(this.#namespace));
  }

  isTransient(error: unknown): boolean {
    return isTransient(error);
  }

  async close(): Promise<void> {
    if (this.#owned) await closeClient(this.#client);
  }

  readonly #shardOf = (key: string): ShardKeys => this.#shards[shardOf(key, this.#shards.length)]!;

  readonly #explainError = (error: unknown): unknown => this.#explain(error);

  /** The hot path's script call (see `LuaScript.send`), with this store's error mapping. */
  readonly #send: SendScript = (script, argv, detail, text) =>
    script.send(this.#client, argv, detail, this.#explainError, text);

  /** A script call with keys and arguments apart (maintenance, list, reads). */
  readonly #runScript: RunScript = (script, keys, args, detail) =>
    script.send(this.#client, [String(keys.length), ...keys, ...args], detail, this.#explainError);

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
