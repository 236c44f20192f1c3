import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** How {@link PrivateRedisServer.start} runs `redis-server`. */
export interface PrivateRedisServerOptions {
  /** The loopback port; default a free one. */
  readonly port?: number;
  /** The data directory (needed for `persistent` and `cluster`). */
  readonly dir?: string;
  /**
   * Keep data across a stop and a start: an append-only file synced on every
   * write, like a production Redis that restarts. Default `false` (nothing on disk).
   */
  readonly persistent?: boolean;
  /** Start as a cluster node (`--cluster-enabled yes`, config file in `dir`). */
  readonly cluster?: boolean;
  /** How long to wait for the first real PONG. Default 15 000 ms. */
  readonly startTimeout?: number;
}

/**
 * A `redis-server` a test (or a chaos run) owns: its own loopback port and
 * directory, stopped, killed and restarted at will — never the shared
 * server. Needs the `redis-server` binary on the PATH.
 *
 * @example
 * ```ts
 * import { PrivateRedisServer } from '@digests/redis/testing';
 *
 * const server = await PrivateRedisServer.start({ dir, persistent: true });
 * const backend = new RedisBackend({ url: server.url });
 * await server.stop();    // the store goes away: BackendUnavailableError
 * await server.start();   // same port, same data
 * await server.stop();
 * ```
 */
export class PrivateRedisServer {
  readonly port: number;
  readonly #options: PrivateRedisServerOptions;
  #process: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  private constructor(port: number, options: PrivateRedisServerOptions) {
    this.port = port;
    this.#options = options;
  }

  /** Starts a server and waits until it answers PING. */
  static async start(options: PrivateRedisServerOptions = {}): Promise<PrivateRedisServer> {
    const port = options.port ?? (await freeLoopbackPort({ withBusPort: options.cluster }));
    const server = new PrivateRedisServer(port, options);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The running `redis-server` process (e.g. to SIGSTOP it). */
  get process(): ChildProcess {
    if (this.#process === undefined) throw new Error('the server was never started');
    return this.#process;
  }

  /** (Re)starts the server on the same port and directory; waits for a real PONG. */
  async start(): Promise<void> {
    const { dir, persistent = false, cluster = false } = this.#options;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', ''];
    args.push('--daemonize', 'no', '--loglevel', 'warning');
    args.push('--appendonly', persistent ? 'yes' : 'no');
    if (persistent) args.push('--appendfsync', 'always');
    if (dir !== undefined) args.push('--dir', dir);
    if (cluster) {
      if (dir === undefined) throw new Error('a cluster node needs a dir');
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${this.port}.conf`);
    }
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.#process = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + (this.#options.startTimeout ?? 15_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server on ${this.port} exited`);
      // While an append-only file loads the server answers LOADING: wait for PONG.
      if (await this.#ping()) return;
      await sleep(50);
    }
    throw new Error(`redis-server on ${this.port} did not answer within the start timeout`);
  }

  /** Stops the server: SIGTERM (a clean shutdown) or SIGKILL (a crash). */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.#process;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    await this.#exited;
  }

  /** Stops (by default: kills) and starts again on the same port and directory. */
  async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGKILL'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  async #ping(): Promise<boolean> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port nobody listens on; with `withBusPort`, port + 10 000 is
 * free too (a cluster node's bus port).
 *
 * @example
 * ```ts
 * const port = await freeLoopbackPort();
 * ```
 */
export async function freeLoopbackPort(options: { withBusPort?: boolean } = {}): Promise<number> {
  for (;;) {
    const port = 17_000 + Math.floor(Math.random() * 10_000);
    if (!(await isFree(port))) continue;
    if (!options.withBusPort || (await isFree(port + 10_000))) return port;
  }
}
