import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { peekCases } from './support/peek-cases.js';
import { REDIS_URL, requireRedis } from './support/redis-servers.js';

const available = await requireRedis();

describe.skipIf(!available)('peek on standalone Redis, page for page like MemoryBackend', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await client.quit();
  });
  peekCases(() => client);
});
