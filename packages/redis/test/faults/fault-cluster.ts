import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { PrivateRedisServer } from '@digests/redis/testing';

const run = promisify(execFile);

/** A 3-master cluster whose nodes keep their data across a kill (append-only, fsync always). */
export interface FaultCluster {
  readonly servers: readonly PrivateRedisServer[];
  readonly nodes: readonly { host: string; port: number }[];
  stop(): Promise<void>;
}

/**
 * Starts 3 persistent cluster nodes, joins them, waits for `cluster_state:ok`,
 * and shortens `cluster-node-timeout` so a killed master is noticed in
 * about a second rather than 15.
 */
export async function startFaultCluster(): Promise<FaultCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'digests-fault-cluster-'));
  const servers: PrivateRedisServer[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      servers.push(await PrivateRedisServer.start({ cluster: true, dir, persistent: true }));
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...servers.map((s) => `127.0.0.1:${s.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const server of servers) {
      await cli(server.port, 'CONFIG', 'SET', 'cluster-node-timeout', '1000');
    }
    await clusterOk(servers);
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    servers,
    nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits (real time, bounded) until every node reports `cluster_state:ok`. */
export async function clusterOk(servers: readonly PrivateRedisServer[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const states = await Promise.all(servers.map((s) => cli(s.port, 'CLUSTER', 'INFO')));
    if (states.every((state) => state.includes('cluster_state:ok'))) return;
    await sleep(50);
  }
  throw new Error('the cluster did not reach cluster_state:ok within 20 s');
}

/** After a restart the node reloads its config; set the short timeout again. */
export async function shortenNodeTimeout(server: PrivateRedisServer): Promise<void> {
  await cli(server.port, 'CONFIG', 'SET', 'cluster-node-timeout', '1000');
}

async function cli(port: number, ...command: string[]): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), ...command]);
    return stdout.trim();
  } catch {
    return '';
  }
}
