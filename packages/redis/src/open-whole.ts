import type { OpenResult, StoredRecord } from '@digests/core';
import { currentTimeline, timed, tracingActive } from '@digests/core';
import type { TimelineKeys } from './keys.js';
import { isNoScript, REDIS_CATEGORY, type RedisClient, type ScriptArgument } from './lua-script.js';
import { score } from './replies.js';
import { SCRIPTS } from './scripts.js';

/**
 * The open of a digest without `limit`, in one round trip: one pipeline of
 * `open-whole.lua` (the lease and the snapshot), then plain
 * `ZRANGE snapshot 0 -1 WITHSCORES` (record keys and timestamps as text)
 * and `HGETALL snapshot-values` (values as bytes), which Redis runs right
 * after the script on the same connection. The records never pass
 * through Lua. On `NOSCRIPT` the pipeline is sent again with `EVAL`.
 * With `textValues` (a codec that reads text and bytes alike: core's
 * `JsonCodec`) the values come back as text, which saves the client a
 * Buffer and a UTF-8 decode per value; see `exactText` for why that is
 * exact.
 * One `redis` action, `OPEN <key>`.
 *
 * @example
 * ```ts
 * const opened = await openWhole(client, timelineKeys(shard, key), argv, explain);
 * ```
 */
export function openWhole(
  client: RedisClient,
  keys: TimelineKeys,
  argv: readonly ScriptArgument[],
  textValues: boolean,
  explain: (error: unknown) => unknown,
): Promise<OpenResult> {
  const run = async (): Promise<OpenResult> => {
    try {
      let replies = await send(client, keys, ['EVALSHA', SCRIPTS.openWhole.sha], argv, textValues);
      if (replies[0] instanceof Error && isNoScript(replies[0])) {
        replies = await send(client, keys, ['EVAL', SCRIPTS.openWhole.source], argv, textValues);
      }
      const records = read(replies);
      if (typeof records === 'string') return { outcome: records };
      if (textValues) await exactText(client, keys, records);
      return { outcome: 'opened', records };
    } catch (error) {
      throw explain(error);
    }
  };
  if (currentTimeline() === undefined && !tracingActive()) return run();
  return timed(REDIS_CATEGORY, `OPEN ${argv[8]}`, run);
}

/** The three commands in one pipeline; each reply, or its error. */
async function send(
  client: RedisClient,
  keys: TimelineKeys,
  script: readonly [string, string],
  argv: readonly ScriptArgument[],
  textValues: boolean,
): Promise<unknown[]> {
  const pipeline = client
    .pipeline()
    .call(script[0], script[1], ...argv)
    .call('ZRANGE', keys.snapshot, '0', '-1', 'WITHSCORES');
  if (textValues) pipeline.call('HGETALL', keys.snapshotValues);
  else pipeline.callBuffer('HGETALL', keys.snapshotValues);
  const results = await pipeline.exec();
  if (results === null) throw new Error('the open pipeline was discarded');
  return results.map(([error, reply]) => error ?? reply);
}

/** The records opened, or why not. */
function read(replies: readonly unknown[]): StoredRecord[] | 'conflict' | 'not-ready' {
  const [opened, ids, values] = replies;
  if (opened instanceof Error) throw opened;
  const outcome = (opened as string[])[0];
  if (outcome === 'conflict' || outcome === 'not-ready') return outcome;
  if (ids instanceof Error) throw ids;
  if (values instanceof Error) throw values;
  return join(ids as string[], values as (string | Buffer)[]);
}

/**
 * Values read as text are exact unless the text holds U+FFFD: what invalid
 * UTF-8 decodes to (or a real U+FFFD). Those few are read again as bytes —
 * the lease still holds the snapshot — so a codec sees exactly what it
 * would have as bytes (and rejects invalid UTF-8 as before). Changes
 * `records` in place.
 *
 * @example
 * ```ts
 * await exactText(client, timelineKeys(shard, key), records);
 * ```
 */
export async function exactText(
  client: RedisClient,
  keys: TimelineKeys,
  records: StoredRecord[],
): Promise<void> {
  const suspect: number[] = [];
  for (let i = 0; i < records.length; i++) {
    if ((records[i]!.value as string).includes('\uFFFD')) suspect.push(i);
  }
  if (suspect.length === 0) return;
  const bytes = (await client.callBuffer(
    'HMGET',
    keys.snapshotValues,
    ...suspect.map((i) => records[i]!.key),
  )) as Buffer[];
  for (const [j, i] of suspect.entries()) records[i] = { ...records[i]!, value: bytes[j]! };
}

/**
 * Records newest first from `[key, score, …]` (oldest first, as ZRANGE
 * gives them) and HGETALL's `[field, value, …]` (hash order).
 */
function join(ids: readonly string[], fields: readonly (string | Buffer)[]): StoredRecord[] {
  const values = new Map<string, string | Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    values.set(fields[i]!.toString(), fields[i + 1]!);
  }
  const count = ids.length / 2;
  const records = new Array<StoredRecord>(count);
  for (let i = 0; i < count; i++) {
    const key = ids[2 * i]!;
    const value = values.get(key);
    if (value === undefined) throw new Error(`the snapshot has no value for record ${key}`);
    records[count - 1 - i] = { key, timestamp: score(ids[2 * i + 1]), value };
  }
  return records;
}
