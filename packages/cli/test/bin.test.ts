import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Scratch } from './support.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts the real executable, `bin/digests.js`, as `npm exec digests` does:
 * unbuilt, it runs the TypeScript source through tsx.
 */
function digests(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcess & { exit: Promise<Exit> } {
  const child = spawn(process.execPath, ['bin/digests.js', ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<Exit>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return Object.assign(child, { exit });
}

let scratch: Scratch | undefined;
afterEach(() => scratch?.cleanup());

describe('the digests executable', () => {
  it('exits 0 on --help, 2 on a usage error, 1 on a runtime error', async () => {
    const [help, usage, runtime] = await Promise.all([
      digests(['--help']).exit,
      digests(['inspect']).exit,
      digests(['stats', '--json'], { DIGESTS_CONFIG: '/nonexistent/digests.config.json' }).exit,
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: digests <command>');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('inspect needs a KEY [DIGESTS_USAGE]');
    expect(runtime.code).toBe(1);
    expect(JSON.parse(runtime.stderr)).toMatchObject({ error: { code: 'DIGESTS_CONFIGURATION' } });
  }, 60_000);

  it('stops a worker gracefully on SIGTERM and exits 0', async () => {
    scratch = new Scratch();
    const config = scratch.sqlite();
    const worker = digests(['worker', '--config', config, '--interval', '100']);
    // Wait for the banner: the store is open and the worker runs.
    await new Promise<void>((resolve, reject) => {
      worker.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ctrl-C to stop')) resolve();
      });
      void worker.exit.then((exit) => reject(new Error(`worker exited early: ${exit.stderr}`)));
    });
    worker.kill('SIGTERM');
    const exit = await worker.exit;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toContain('received SIGTERM, stopping');
  }, 60_000);
});
