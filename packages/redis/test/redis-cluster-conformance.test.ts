import { runBackendConformance, runModelBasedConformance } from '@digests/conformance';
import { RedisBackend, shardKeys, shardOf } from '@digests/redis';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisTarget } from './support/conformance-target.js';
import {
  dropNamespace,
  masters,
  namespaceKeys,
  uniqueNamespace,
} from './support/namespace-keys.js';
import { peekCases } from './support/peek-cases.js';
import { requireRedisBinaries, startCluster, type TestCluster } from './support/redis-servers.js';

const available = await requireRedisBinaries();

describe.skipIf(!available)('Redis Cluster (3 masters, started by this file)', () => {
  let cluster: TestCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
    client = new Cluster([...cluster.nodes]);
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
    });
  });
  afterAll(async () => {
    await client?.quit();
    await cluster?.stop();
  });

  runBackendConformance(redisTarget('redis (cluster)', () => client));
  runModelBasedConformance(
    redisTarget('redis (cluster)', () => client),
    {
      numRuns: 30,
      maxCommands: 40,
    },
  );

  describe('peek, page for page like MemoryBackend', () => {
    peekCases(() => client);
  });

  describe('cluster layout', () => {
    it('the cluster really has 3 masters', async () => {
      expect(masters(client)).toHaveLength(3);
    });

    it('each shard keeps all its keys in one slot, and shards spread over the masters', async () => {
      const namespace = uniqueNamespace('slots');
      const backend = new RedisBackend({ client, namespace });
      const keys = Array.from({ length: 120 }, (_, i) => (i % 3 ? `mail:p:${i}` : `{p}:${i}}{`));
      try {
        for (const key of keys) {
          await backend.add(key, { key: 'r', value: 1, timestamp: 1 });
          await backend
            .digest(key, () => {
              if (key.endsWith('0')) throw new Error('keep a snapshot');
            })
            .catch(() => undefined);
          await backend.add(key, { key: 's', value: 2, timestamp: 2 });
        }
        const stored = await namespaceKeys(client, namespace);
        expect(stored.length).toBeGreaterThan(keys.length);
        const slotOfShard = new Map<string, number>();
        for (const key of stored) {
          const tag = /^\{[^}]*\}/.exec(key)![0];
          const slot = (await client.call('CLUSTER', 'KEYSLOT', key)) as number;
          expect(slotOfShard.get(tag) ?? slot, key).toBe(slot);
          slotOfShard.set(tag, slot);
        }
        expect(slotOfShard.size).toBe(16);
        for (const key of keys) {
          const tag = shardKeys(namespace, shardOf(key, 16)).prefix.slice(0, -1);
          expect(slotOfShard.has(tag)).toBe(true);
        }
        let holding = 0;
        for (const node of masters(client)) {
          const [, found] = await node.scan('0', 'MATCH', `{${namespace}:*`, 'COUNT', 10_000);
          if (found.length > 0) holding++;
        }
        expect(holding).toBeGreaterThanOrEqual(2);
      } finally {
        await dropNamespace(client, namespace);
      }
    });
  });
});
