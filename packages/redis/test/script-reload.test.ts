import { RedisBackend } from '@digests/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PrivateServer,
  requireRedisBinaries,
  startRedisServer,
} from './support/redis-servers.js';

const binaries = await requireRedisBinaries();
const T = 1_700_000_000_000;

/** Calls of EVAL and EVALSHA so far, from INFO commandstats. */
async function evalCalls(admin: Redis): Promise<{ eval: number; evalsha: number }> {
  const info = await admin.info('commandstats');
  const calls = (name: string) =>
    Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

/** One round of every scripted operation; resolves what the digest saw. */
async function everyOperation(backend: RedisBackend, key: string): Promise<unknown[]> {
  await backend.add(key, { key: 'a', value: 1, timestamp: T });
  await backend.inspect(key);
  const seen = await backend.digest(key, (records) => records.map((r) => r.key));
  await backend.flush(key);
  await backend.maintenance(Number.POSITIVE_INFINITY);
  for await (const _ of backend.schedule(Number.POSITIVE_INFINITY));
  await backend.delete(key);
  return seen;
}

describe.skipIf(!binaries)(
  'scripts: called by SHA, reloaded after SCRIPT FLUSH or a restart',
  () => {
    let server: PrivateServer;
    let admin: Redis;
    beforeAll(async () => {
      server = await startRedisServer();
      admin = new Redis(server.url);
    });
    afterAll(async () => {
      admin?.disconnect();
      await server?.stop();
    });

    it('a warm server is only ever sent EVALSHA', async () => {
      const backend = new RedisBackend({ client: admin, namespace: 'sha', shards: 1 });
      await everyOperation(backend, 'warm-up');
      const before = await evalCalls(admin);
      expect(await everyOperation(backend, 'k')).toEqual(['a']);
      const after = await evalCalls(admin);
      expect(after.eval).toBe(before.eval);
      expect(after.evalsha - before.evalsha).toBeGreaterThanOrEqual(8);
    });

    it('after SCRIPT FLUSH every operation still works, reloading each script once', async () => {
      const backend = new RedisBackend({ client: admin, namespace: 'flush', shards: 1 });
      await everyOperation(backend, 'warm-up');
      await admin.script('FLUSH');
      const before = await evalCalls(admin);
      expect(await everyOperation(backend, 'k')).toEqual(['a']);
      const reloaded = (await evalCalls(admin)).eval - before.eval;
      expect(reloaded).toBeGreaterThan(0);
      expect(reloaded).toBeLessThanOrEqual(10);
      const again = await evalCalls(admin);
      await everyOperation(backend, 'k');
      expect((await evalCalls(admin)).eval).toBe(again.eval);
    });

    it('after a server restart the backend reconnects and reloads its scripts', async () => {
      const restarted = await startRedisServer();
      const backend = new RedisBackend({ url: restarted.url, namespace: 'restart' });
      expect(await everyOperation(backend, 'k')).toEqual(['a']);
      await restarted.stop();
      const again = await startRedisServer({ port: restarted.port });
      try {
        let seen: unknown[] = [];
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            seen = await everyOperation(backend, 'k');
            break;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        expect(seen).toEqual(['a']);
      } finally {
        await backend.close();
        await again.stop();
      }
    });
  },
);
