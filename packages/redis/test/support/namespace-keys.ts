import { randomBytes } from 'node:crypto';
import { namespacePattern, type RedisClient } from '@digests/redis';
import { Cluster, type Redis } from 'ioredis';

/** A namespace no other test uses. */
export function uniqueNamespace(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Every master of `client` (itself when standalone). */
export function masters(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Every key of `namespace`, found with SCAN on every master. */
export async function namespaceKeys(client: RedisClient, namespace: string): Promise<string[]> {
  const keys: string[] = [];
  for (const node of masters(client)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scanBuffer(
        cursor,
        'MATCH',
        namespacePattern(namespace),
        'COUNT',
        1000,
      );
      cursor = next.toString();
      for (const key of batch) keys.push(key.toString('utf8'));
    } while (cursor !== '0');
  }
  return keys;
}

/** Deletes every key of `namespace`. */
export async function dropNamespace(client: RedisClient, namespace: string): Promise<void> {
  for (const key of await namespaceKeys(client, namespace)) await client.del(key);
}
