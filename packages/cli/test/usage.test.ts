import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../src/index.js';
import { jsonLines, runCli, Scratch } from './support.js';

let scratch: Scratch;
afterEach(() => scratch?.cleanup());

describe('help and usage errors', () => {
  it('prints the overview with --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('Usage: digests <command>');
    expect(stdout).toMatch(/worker[\s\S]*inspect KEY[\s\S]*stats[\s\S]*add KEY --value JSON/);
  });

  it('prints a command’s help with "help CMD" and with "CMD --help"', async () => {
    expect((await runCli(['help', 'add'])).stdout).toContain('Usage: digests add KEY --value JSON');
    const { code, stdout } = await runCli(['worker', '--help']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('--interval MS');
  });

  it('prints the version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([
    [[], 'a command is required'],
    [['frob'], 'unknown command "frob"'],
    [['bench'], 'npm run bench'],
    [['inspect'], 'inspect needs a KEY'],
    [['inspect', 'a', 'b'], 'inspect takes one KEY'],
    [['stats', 'extra'], 'stats takes no arguments'],
    [
      ['stats', '--fast'],
      'stats: unknown option --fast (options: --config, --json, --help, --version)',
    ],
    [
      ['worker', '--intervall', '5'],
      'worker: unknown option --intervall (did you mean --interval?)',
    ],
    [
      ['worker', '--interval', '-5'],
      '--interval must be a positive number of milliseconds, got "-5"',
    ],
    [['worker', '--concurrency', '0'], '--concurrency must be a whole number ≥ 1, got "0"'],
    [['list', '--state', 'soon'], '--state must be waiting or ready, got "soon"'],
    [['list', '--limit', '0'], '--limit must be a whole number ≥ 1'],
    [['remove', 'k'], 'remove needs KEY RECORD…'],
    [['quarantine', 'k', 'r1'], 'quarantine takes KEY [--delete [RECORD…]], got k r1'],
    [['flush'], 'flush needs a KEY'],
    [['delete', 'a', 'b'], 'delete takes one KEY, got a b'],
    [['add', 'k'], 'add needs --value JSON'],
    [['add', 'k', '--value', '{bad'], '--value:1:2 is not valid JSON'],
    [['add', 'k', '--value', '1', '--timestamp', 'soon'], '--timestamp must be'],
    [['worker', '--interval', '0'], '--interval must be a positive number'],
    [['worker', '--concurrency', '1.5'], '--concurrency must be a whole number ≥ 1, got "1.5"'],
  ])('exits 2 on %j, saying why on stderr', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('[DIGESTS_USAGE]');
    expect(stderr).toContain('digests --help');
  });

  it('writes usage errors as JSON on stderr with --json', async () => {
    const { code, stderr } = await runCli(['inspect', '--json']);
    expect(code).toBe(EXIT.usage);
    expect(jsonLines(stderr)).toEqual([
      { error: { code: 'DIGESTS_USAGE', message: 'inspect needs a KEY' } },
    ]);
  });
});

describe('config errors', () => {
  it('exits 1 with DIGESTS_CONFIGURATION when the config file is missing', async () => {
    scratch = new Scratch();
    const { code, stderr } = await scratch.run(['stats']);
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain('digests.config.json');
    expect(stderr).toContain('[DIGESTS_CONFIGURATION]');
  });

  it('names the bad field of an invalid config', async () => {
    scratch = new Scratch();
    scratch.config({ backend: 'fallback', primary: { backend: 'memory' } });
    const { code, stderr } = await scratch.run(['stats', '--json']);
    expect(code).toBe(EXIT.error);
    expect(jsonLines(stderr)[0]).toEqual({
      error: { code: 'DIGESTS_CONFIGURATION', message: 'config.secondary is required' },
    });
  });

  it('reads --config, else $DIGESTS_CONFIG, else ./digests.config.json', async () => {
    scratch = new Scratch();
    scratch.config({ backend: 'memory' }, 'digests.config.json');
    scratch.config({ backend: 'null' }, 'env.json');
    scratch.config({ backend: 'memory' }, 'flag.json');
    // The backend name in the output tells which file was read.
    const backendOf = async (argv: string[], env?: Record<string, string>) =>
      JSON.parse((await scratch.run(['stats', '--json', ...argv], env ? { env } : {})).stdout)
        .backend;
    expect(await backendOf([])).toBe('memory');
    const env = { DIGESTS_CONFIG: 'env.json' };
    expect(await backendOf([], env)).toBe('null');
    expect(await backendOf(['--config', 'flag.json'], env)).toBe('memory');
  });
});
