import { runModelBasedConformance } from '@digests/core/conformance';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { redisTarget } from './support/conformance-target.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();

describe.skipIf(!available)('standalone Redis', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await client.quit();
  });
  // A fresh namespace per generated sequence, dropped after it.
  runModelBasedConformance(
    redisTarget('redis (standalone)', () => client),
    {
      numRuns: 40,
      maxCommands: 40,
    },
  );
});
