import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Whether `redis-server` can be started. With `CI` set (to anything non-empty) a missing binary
 * fails the run; on a developer machine the suite is skipped with a message.
 */
export async function requireRedisServer(): Promise<boolean> {
  try {
    await run('redis-server', ['--version']);
    await run('redis-cli', ['--version']);
    return true;
  } catch (error) {
    const message = `redis-server/redis-cli is not available (${(error as Error).message})`;
    if ((process.env.CI ?? '') !== '')
      throw new Error(`${message}; CI requires it`, { cause: error });
    console.warn(`Skipping the Redis → SQLite fallback test: ${message}.`);
    return false;
  }
}
