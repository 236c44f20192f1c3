import type { PeekedStoredRecord, PeekRequest, StoredRecord, StoreInfo } from '@digests/core';
import { type ShardKeys, timelineKeys } from './keys.js';
import type { RedisClient, RunScript } from './lua-script.js';
import { masters } from './masters.js';
import { numberArgument, readPeeked, readRecords, score } from './replies.js';
import { SCRIPTS } from './scripts.js';

/**
 * The store's read-only steps on one key (`inspect`, `peek`, `quarantined`)
 * and the namespace's key count: each one script call, or a SCAN.
 *
 * @example
 * ```ts
 * const info = await inspectKey(shard, 'mail:p:1', run);
 * ```
 */
export async function inspectKey(
  shard: ShardKeys,
  key: string,
  run: RunScript,
): Promise<StoreInfo> {
  const keys = timelineKeys(shard, key);
  const [ready, waiting, size, last, quarantined] = (await run(
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

/**
 * One page of the key's records (timeline and snapshot) in peek order,
 * read by one read-only script on the key's shard (`scripts/peek.lua`):
 * O(log² n) to find the cursor, O(limit) to read, nothing changed.
 *
 * @example
 * ```ts
 * const page = await peekKey(shard, 'mail:p:1', { limit: 50 }, run);
 * ```
 */
export async function peekKey(
  shard: ShardKeys,
  key: string,
  request: PeekRequest,
  run: RunScript,
): Promise<PeekedStoredRecord[]> {
  const keys = timelineKeys(shard, key);
  const { after, limit } = request;
  const reply = (await run(
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

/**
 * The key's quarantined records, raw (`scripts/quarantined.lua`).
 *
 * @example
 * ```ts
 * const raw = await quarantinedOf(shard, 'mail:p:1', run);
 * ```
 */
export async function quarantinedOf(
  shard: ShardKeys,
  key: string,
  run: RunScript,
): Promise<StoredRecord[]> {
  const keys = timelineKeys(shard, key);
  const reply = (await run(
    SCRIPTS.quarantined,
    [keys.quarantine, keys.quarantineValues],
    [],
    `QUARANTINED ${key}`,
  )) as unknown[];
  return readRecords(reply);
}

/**
 * How many keys match `pattern` on every master (SCAN, 1 000 per step).
 *
 * @example
 * ```ts
 * const stored = await countKeys(client, shardPattern('mail'));
 * ```
 */
export async function countKeys(client: RedisClient, pattern: string): Promise<number> {
  let count = 0;
  for (const node of masters(client)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next.toString();
      count += batch.length;
    } while (cursor !== '0');
  }
  return count;
}
