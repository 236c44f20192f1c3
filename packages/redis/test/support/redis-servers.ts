import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freeLoopbackPort, PrivateRedisServer } from '@digests/redis/testing';
import { Redis } from 'ioredis';

const run = promisify(execFile);

/** The shared Redis the suites use (REDIS_URL, default redis://127.0.0.1:6379). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// Any non-empty CI counts (CI=1, CI=yes, CI=true): a missing server must never skip silently there.
const inCi = (process.env.CI ?? '') !== '';

/**
 * Whether a server-backed suite can run. In CI (`CI` set to anything non-empty) a missing server
 * fails the run; on a developer machine the suite is skipped with a message.
 */
export async function requireServer(what: string, probe: () => Promise<void>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (error) {
    const message = `${what} is not available (${(error as Error).message})`;
    if (inCi) throw new Error(`${message}; CI requires it`, { cause: error });
    console.warn(`Skipping the ${what} tests: ${message}.`);
    return false;
  }
}

/** Pings REDIS_URL once, failing fast. */
export function requireRedis(): Promise<boolean> {
  return requireServer(`Redis at ${REDIS_URL}`, async () => {
    const client = new Redis(REDIS_URL, {
      lazyConnect: true,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  });
}

/** Whether `redis-server` and `redis-cli` can be started (for private servers and the cluster). */
export function requireRedisBinaries(): Promise<boolean> {
  return requireServer('redis-server/redis-cli', async () => {
    await run('redis-server', ['--version']);
    await run('redis-cli', ['--version']);
  });
}

/** A loopback port that is free, as is port + 10000 (a cluster node's bus port). */
export function freePort(): Promise<number> {
  return freeLoopbackPort({ withBusPort: true });
}

/** A `redis-server` this test owns (no persistence unless asked). */
export type PrivateServer = PrivateRedisServer;

/** Starts a private `redis-server` and waits until it answers. */
export function startRedisServer(
  options: { port?: number; dir?: string; cluster?: boolean } = {},
): Promise<PrivateServer> {
  return PrivateRedisServer.start(options);
}

/** A 3-master Redis Cluster on loopback, with its own temporary directory. */
export interface TestCluster {
  readonly nodes: readonly { host: string; port: number }[];
  stop(): Promise<void>;
}

/** Starts 3 cluster-enabled servers, joins them with `redis-cli --cluster create`, waits for `ok`. */
export async function startCluster(): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'digests-redis-cluster-'));
  const servers: PrivateServer[] = [];
  try {
    for (let i = 0; i < 3; i++) servers.push(await startRedisServer({ cluster: true, dir }));
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const server of servers) {
      await waitFor(
        async () => (await cli(server.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
        `cluster state ok on ${server.port}`,
      );
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function cli(port: number, ...command: string[]): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), ...command]);
    return stdout.trim();
  } catch {
    return '';
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}
