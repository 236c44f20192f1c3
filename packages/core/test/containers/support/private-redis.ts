import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Whether `redis-server` can be started. With `CI=true` a missing binary
 * fails the run; on a developer machine the suite is skipped with a message.
 */
export async function requireRedisServer(): Promise<boolean> {
  try {
    await run('redis-server', ['--version']);
    await run('redis-cli', ['--version']);
    return true;
  } catch (error) {
    const message = `redis-server/redis-cli is not available (${(error as Error).message})`;
    if (process.env.CI === 'true')
      throw new Error(`${message}; CI=true requires it`, { cause: error });
    console.warn(`Skipping the Redis → SQLite fallback test: ${message}.`);
    return false;
  }
}

/** A loopback port nobody listens on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A `redis-server` this test owns, on its own port and directory, with an
 * append-only file synced on every write, so a stop and a restart keep the
 * data (like a production Redis that restarts).
 */
export class PrivateRedis {
  readonly port: number;
  readonly dir: string;
  #process: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    this.#process = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await this.#ping()) return;
      if (child.exitCode !== null) throw new Error(`redis-server on ${this.port} exited`);
      await sleep(50);
    }
    throw new Error(`redis-server on ${this.port} did not answer`);
  }

  /** SIGTERM: a clean shutdown that keeps the append-only file. */
  async stop(): Promise<void> {
    const child = this.#process;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await this.#exited;
  }

  async #ping(): Promise<boolean> {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(this.port), 'PING']);
      return stdout.trim() === 'PONG';
    } catch {
      return false;
    }
  }
}
