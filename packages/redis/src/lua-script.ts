import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A standalone client or a cluster client; both route a script by its first key. */
export type RedisClient = Redis | Cluster;

/** What the scripts take: keys and arguments as text or bytes. */
export type ScriptArgument = string | Buffer;

/** Runs a script with a backend's client and error mapping. */
export type RunScript = (
  script: LuaScript,
  keys: readonly ScriptArgument[],
  args: readonly ScriptArgument[],
) => Promise<unknown>;

/**
 * One Lua script, called by its SHA1. When the server does not know it
 * (after `SCRIPT FLUSH`, a restart or a failover: `NOSCRIPT`), the call is
 * repeated once with `EVAL`, which also caches it again — so scripts recover
 * by themselves and a healthy server is only ever sent the SHA.
 *
 * Replies come back as Buffers (bulk strings), numbers (integers) and arrays.
 *
 * @example
 * ```ts
 * const ping = new LuaScript('ping', "return redis.call('PING')");
 * await ping.run(client, ['{d:0}:ready'], []);
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

  async run(
    client: RedisClient,
    keys: readonly ScriptArgument[],
    args: readonly ScriptArgument[],
  ): Promise<unknown> {
    try {
      return await client.callBuffer('EVALSHA', this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return client.callBuffer('EVAL', this.source, keys.length, ...keys, ...args);
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
