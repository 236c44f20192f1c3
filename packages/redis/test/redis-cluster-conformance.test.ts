import { runBackendConformance } from '@digests/core/conformance';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { redisTarget } from './support/conformance-target.js';
import { requireRedisBinaries, startCluster, type TestCluster } from './support/redis-servers.js';

const available = await requireRedisBinaries();

describe.skipIf(!available)('Redis Cluster (3 masters)', () => {
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
});
