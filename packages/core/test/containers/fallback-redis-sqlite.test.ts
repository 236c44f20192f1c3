import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Backend, FallbackBackend } from '@digests/core';
import { RedisBackend } from '@digests/redis';
import { PrivateRedisServer } from '@digests/redis/testing';
import { SqliteBackend } from '@digests/sqlite';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisServer } from './support/private-redis.js';

const available = await requireRedisServer();

/** Waits until `check` holds (a real-time condition: a socket closing or reconnecting). */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!available)('fallback from a real Redis to a real SQLite', () => {
  let dir: string;
  let server: PrivateRedisServer;
  let client: Redis;
  let fallback: FallbackBackend;
  let sqlite: SqliteBackend;
  let now = 1_700_000_000_000;
  const warnings: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digests-fallback-'));
    server = await PrivateRedisServer.start({ dir, persistent: true });
    // Fail fast while the server is down (no offline queue) and reconnect
    // quickly once it is back: the fallback, not the client, absorbs outages.
    client = new Redis(server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
      connectTimeout: 1_000,
    });
    client.on('error', () => undefined);
    await until(() => client.status === 'ready', 'the Redis client to connect');
    const options = { clock: () => now, minimumDelay: 0, incrementDelay: 0, maximumDelay: 0 };
    const redis = new RedisBackend({ ...options, client, namespace: 'fallback-test' });
    sqlite = new SqliteBackend({ ...options, filename: join(dir, 'digests.db') });
    fallback = new FallbackBackend({
      primary: redis,
      secondary: sqlite,
      logger: { warn: (message) => warnings.push(message) },
    });
  });

  afterAll(async () => {
    await fallback?.close(); // closes SQLite; the Redis client is ours
    client?.disconnect();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('delivers every record exactly once while Redis is stopped mid-stream and restarted', async () => {
    const expected: string[] = [];
    const delivered: string[] = [];
    const deliver = async (backend: Backend, key: string) => {
      await backend.digest(key, (records) => {
        for (const r of records) delivered.push(`${key}/${r.key}`);
      });
    };
    const pass = async () => {
      await fallback.maintenance(now);
      for await (const { key } of fallback.schedule(now)) await deliver(fallback, key);
    };

    for (let i = 0; i < 90; i++) {
      if (i === 30) {
        await server.stop();
        await until(() => client.status !== 'ready', 'the client to notice the stop');
      }
      if (i === 60) {
        // While Redis was down, the records written to SQLite were delivered from it.
        expect(delivered).toContain('mail:p:0/e30');
        expect(delivered).toContain('mail:p:3/e51');
        await server.start();
        await until(() => client.status === 'ready', 'the client to reconnect');
        const report = await fallback.moveBack();
        expect(report.skipped).toBe(0);
      }
      const key = `mail:p:${i % 6}`;
      const id = `e${i}`;
      expected.push(`${key}/${id}`);
      if (await fallback.add(key, { key: id, value: { i }, timestamp: now })) {
        await deliver(fallback, key);
      }
      if (i % 4 === 3) await pass();
      now += 1_000;
    }
    // Some records were written to SQLite while Redis was down…
    expect(warnings).toContain('fallback: the primary failed, writing to the secondary');
    await fallback.moveBack();
    for (let round = 0; round < 3; round++) {
      now += 1_000;
      await pass();
    }

    expect([...delivered].sort()).toEqual([...expected].sort());
    expect(new Set(delivered).size).toBe(delivered.length);
    for (let p = 0; p < 6; p++) {
      expect((await sqlite.inspect(`mail:p:${p}`)).size).toBe(0);
      expect((await fallback.inspect(`mail:p:${p}`)).size).toBe(0);
    }
  }, 60_000);
});
