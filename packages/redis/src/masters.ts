import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './lua-script.js';

/**
 * The masters behind a client: its known master nodes for a Cluster,
 * the client itself when standalone. Whole-keyspace reads (SCAN) visit each.
 *
 * @example
 * ```ts
 * for (const node of masters(client)) await node.scan('0', 'MATCH', '{d:*');
 * ```
 */
export function masters(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
