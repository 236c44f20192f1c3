import { createHash } from 'node:crypto';
import { currentTimeline, timed, tracingActive } from '@digests/core';
import type { Cluster, Redis } from 'ioredis';

/** A standalone client or a cluster client; both route a script by its first key. */
export type RedisClient = Redis | Cluster;

/** What the scripts take: keys and arguments as text or bytes. */
export type ScriptArgument = string | Buffer;

/**
 * The category of every action the adapter records with core's `timed`
 * (into the active timeline and, with a tracer registered, as spans).
 */
export const REDIS_CATEGORY = 'redis';

/**
 * Runs a script with a backend's client and error mapping; `detail` names
 * the round trip in the action timeline (`ADD mail:p:1`, `SCHEDULE shard 3 ≤ …`).
 */
export type RunScript = (
  script: LuaScript,
  keys: readonly ScriptArgument[],
  args: readonly ScriptArgument[],
  detail: string,
) => Promise<unknown>;

/**
 * {@link LuaScript.send} bound to a store's client and error mapping:
 * `argv` is the number of keys, the keys, then the arguments.
 */
export type SendScript = (
  script: LuaScript,
  argv: readonly ScriptArgument[],
  detail: string | (() => string),
  text?: boolean,
) => Promise<unknown>;

/**
 * One Lua script, called by its SHA1. When the server does not know it
 * (after `SCRIPT FLUSH`, a restart or a failover: `NOSCRIPT`, also when a
 * cluster client wraps it in a redirection error), the call is repeated
 * once with `EVAL`, which also caches it again — so scripts recover by
 * themselves and a healthy server is only ever sent the SHA.
 *
 * Replies come back as Buffers (bulk strings), numbers (integers) and arrays.
 *
 * Every call is one action of category `redis` in the current timeline (core's
 * `timed`), named by `detail` — by default the script's name — and lasting
 * until the reply, a `NOSCRIPT` reload included. Without an active timeline
 * or tracer, `timed` costs a context lookup and nothing is recorded.
 *
 * @example
 * ```ts
 * const ping = new LuaScript('ping', "return redis.call('PING')");
 * await ping.run(client, ['{d:0}:ready'], [], 'PING shard 0');
 * ```
 */
export class LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;

  constructor(name: string, source: string) {
    this.name = name;
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  run(
    client: RedisClient,
    keys: readonly ScriptArgument[],
    args: readonly ScriptArgument[],
    detail: string = this.name,
  ): Promise<unknown> {
    return this.send(client, [String(keys.length), ...keys, ...args], detail);
  }

  /**
   * The hot-path form of {@link run}: `argv` is what follows the script in
   * `EVALSHA` — the number of keys, the keys, then the arguments — built by
   * the caller in one array (no copies on the way), and `detail` may be a
   * function, called only when a timeline or tracer records the action.
   * `explain` maps a failure (the `NOSCRIPT` retry's too) before it rejects.
   * With `text`, bulk strings come back as UTF-8 text instead of Buffers.
   *
   * @example
   * ```ts
   * await add.send(client, ['1', '{d:0}:ready', 'mail:p:1'], () => 'ADD mail:p:1');
   * ```
   */
  send(
    client: RedisClient,
    argv: readonly ScriptArgument[],
    detail: string | (() => string),
    explain?: (error: unknown) => unknown,
    text = false,
  ): Promise<unknown> {
    if (currentTimeline() === undefined && !tracingActive()) {
      return this.#call(client, argv, explain, text);
    }
    return timed(REDIS_CATEGORY, typeof detail === 'string' ? detail : detail(), () =>
      this.#call(client, argv, explain, text),
    );
  }

  #call(
    client: RedisClient,
    argv: readonly ScriptArgument[],
    explain: ((error: unknown) => unknown) | undefined,
    text: boolean,
  ): Promise<unknown> {
    const sent = text
      ? client.call('EVALSHA', this.sha, ...argv)
      : client.callBuffer('EVALSHA', this.sha, ...argv);
    return sent.then(undefined, (error: unknown) => {
      if (!isNoScript(error)) throw explain === undefined ? error : explain(error);
      const again = text
        ? client.call('EVAL', this.source, ...argv)
        : client.callBuffer('EVAL', this.source, ...argv);
      return explain === undefined
        ? again
        : again.then(undefined, (failure: unknown) => {
            throw explain(failure);
          });
    });
  }
}

/**
 * Whether the server did not know the script: a plain `NOSCRIPT` reply, or
 * one a cluster client wrapped ("Too many Cluster redirections. Last error:
 * ReplyError: NOSCRIPT …", or as `lastNodeError`).
 *
 * @example
 * ```ts
 * isNoScript(new Error('NOSCRIPT No matching script')); // true
 * ```
 */
export function isNoScript(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if (/(^|: )NOSCRIPT\b/.test(error.message)) return true;
  const { lastNodeError } = error as { lastNodeError?: unknown };
  return lastNodeError !== undefined && isNoScript(lastNodeError, depth + 1);
}
