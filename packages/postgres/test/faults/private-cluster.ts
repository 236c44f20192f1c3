import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL cluster of its own, in a temporary directory, on a free port. */
export interface PrivateCluster {
  readonly url: string;
  stopImmediately(): void;
  start(): void;
  remove(): void;
}

/** Whether `initdb` and `pg_ctl` can be run here. */
export function clusterToolsAvailable(): boolean {
  return ['initdb', 'pg_ctl'].every((tool) => spawnSync(tool, ['--version']).status === 0);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * `initdb` into a temporary directory and start the server on a free port
 * (as the `postgres` user when run as root, which PostgreSQL refuses to be).
 * Never touches the shared server.
 *
 * @example
 * ```ts
 * const cluster = await startPrivateCluster();
 * cluster.stopImmediately(); cluster.start(); cluster.remove();
 * ```
 */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const directory = mkdtempSync(join(tmpdir(), 'digests-pg-cluster-'));
  const data = join(directory, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(directory, uid, gid);
    chmodSync(directory, 0o700);
  }
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', tool, ...args], { stdio: 'pipe' })
      : execFileSync(tool, args, { stdio: 'pipe' });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-instructions']);
  const port = await freePort();
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1`;
  const start = () =>
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(directory, 'log'), '-w', 'start']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stopImmediately: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    remove() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
