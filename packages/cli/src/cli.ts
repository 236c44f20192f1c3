/**
 * The `digests` command line, as a function: `run(argv, io)` parses, runs
 * one command and resolves the exit code — 0 ok, 1 runtime error (the
 * error's `code` on stderr), 2 usage error. `bin.ts` hands it the process.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DigestsError } from '@digests/core';
import { addCommand, type ParsedAdd, parseAddInput } from './commands/add.js';
import { DASHBOARD_FLAGS, dashboardCommand, dashboardFlags } from './commands/dashboard.js';
import { inspectCommand } from './commands/inspect.js';
import { statsCommand } from './commands/stats.js';
import { workerCommand } from './commands/worker.js';
import { configPath, type OpenedStore, openStore } from './config.js';
import { CommandError, UsageError } from './errors.js';
import type { CliIo } from './io.js';
import { Output } from './output.js';
import { COMMAND_USAGE, USAGE } from './usage.js';

/** Exit codes a script can rely on. */
export const EXIT = Object.freeze({ ok: 0, error: 1, usage: 2 });

const COMMON = {
  config: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

const OPTIONS = {
  worker: {
    ...COMMON,
    interval: { type: 'string' },
    concurrency: { type: 'string' },
    'maintenance-age': { type: 'string' },
    'status-every': { type: 'string' },
    once: { type: 'boolean', default: false },
  },
  inspect: COMMON,
  dashboard: { ...COMMON, ...DASHBOARD_FLAGS },
  stats: COMMON,
  add: {
    ...COMMON,
    value: { type: 'string' },
    'record-key': { type: 'string' },
    timestamp: { type: 'string' },
  },
} as const;

type Command = keyof typeof OPTIONS;

/**
 * Runs the command line `argv` (without `node` and the script) and resolves
 * the exit code. Never rejects and never calls `process.exit`.
 *
 * @example
 * ```ts
 * const code = await run(['inspect', 'mail:p:1', '--config', 'digests.config.json', '--json'], {
 *   stdout: (text) => process.stdout.write(text),
 *   stderr: (text) => process.stderr.write(text),
 *   env: process.env,
 *   cwd: process.cwd(),
 * });
 * ```
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const out = new Output(io, json);
  try {
    return await dispatch(argv, io, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(error.code, error.message);
      if (!json) io.stderr('Run "digests --help" for usage.\n');
      return EXIT.usage;
    }
    out.error(codeOf(error), messageOf(error));
    return EXIT.error;
  }
}

async function dispatch(argv: readonly string[], io: CliIo, out: Output): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (first === undefined) throw new UsageError('a command is required');
    io.stdout(topic !== undefined && topic in COMMAND_USAGE ? COMMAND_USAGE[topic]! : USAGE);
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  if (!(first in OPTIONS)) {
    if (first === 'bench') {
      throw new UsageError(
        '"bench" is not a command of the CLI: run `npm run bench` in the repository',
      );
    }
    throw new UsageError(
      `unknown command "${first}" (expected ${Object.keys(OPTIONS).join(', ')})`,
    );
  }
  const command = first as Command;
  const { values, positionals } = parse(command, rest);
  if (values.help) {
    io.stdout(COMMAND_USAGE[command]!);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const wanted = command === 'inspect' || command === 'add' ? 1 : 0;
  if (positionals.length < wanted) throw new UsageError(`${command} needs a KEY`);
  if (positionals.length > wanted) {
    throw new UsageError(
      `${command} takes ${wanted === 0 ? 'no arguments' : 'one KEY'}, got ${positionals.join(' ')}`,
    );
  }
  const key = positionals[0]!;
  // Check every flag before touching the store.
  const flags = {
    interval: positiveNumber(values.interval, '--interval', 10_000),
    concurrency: positiveInteger(values.concurrency, '--concurrency', 4),
    maintenanceAge: optionalNumber(values['maintenance-age'], '--maintenance-age'),
    statusEvery: positiveNumber(values['status-every'], '--status-every', 60_000),
  };
  let add: ParsedAdd | undefined;
  if (command === 'add') {
    if (typeof values.value !== 'string') throw new UsageError('add needs --value JSON');
    add = parseAddInput(
      {
        key,
        value: values.value,
        ...(typeof values['record-key'] === 'string' ? { recordKey: values['record-key'] } : {}),
        ...(typeof values.timestamp === 'string' ? { timestamp: values.timestamp } : {}),
      },
      (io.now ?? Date.now)(),
    );
  }

  const config = typeof values.config === 'string' ? values.config : undefined;
  const store = await openStore(configPath(config, io), {
    warn: (message, context) => out.warn(message, context),
    error: (message, context) => out.warn(message, context),
  });
  try {
    await runCommand({ command, key, values, flags, add }, store, io, out);
  } finally {
    await store.close();
  }
  return EXIT.ok;
}

type Values = Partial<Record<string, string | boolean>>;

/** A command line, checked: everything but the store. */
interface Request {
  readonly command: Command;
  readonly key: string;
  readonly values: Values;
  readonly flags: {
    readonly interval: number;
    readonly concurrency: number;
    readonly maintenanceAge: number | undefined;
    readonly statusEvery: number;
  };
  readonly add: ParsedAdd | undefined;
}

async function runCommand(
  { command, key, values, flags, add }: Request,
  store: OpenedStore,
  io: CliIo,
  out: Output,
): Promise<void> {
  switch (command) {
    case 'inspect':
      return inspectCommand(store.backend, key, out);
    case 'dashboard':
      return dashboardCommand(
        store.backend,
        {
          ...dashboardFlags(values, io.env),
          ...(io.signal ? { signal: io.signal } : {}),
          description: store.description,
        },
        out,
      );
    case 'stats':
      return statsCommand(store.backend, store.name, out);
    case 'add':
      return addCommand(store.backend, add!, out);
    case 'worker':
      await workerCommand(
        store.backend,
        {
          interval: flags.interval,
          concurrency: flags.concurrency,
          ...(flags.maintenanceAge === undefined ? {} : { maintenanceAge: flags.maintenanceAge }),
          once: values.once === true,
          statusEvery: flags.statusEvery,
          ...(io.signal ? { signal: io.signal } : {}),
          description: store.description,
        },
        out,
      );
  }
}

function parse(command: Command, args: string[]): { values: Values; positionals: string[] } {
  try {
    const options = OPTIONS[command] as Record<
      string,
      { type: 'string' | 'boolean'; short?: string; default?: string | boolean }
    >;
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Values, positionals };
  } catch (error) {
    // parseArgs explains well ("Unknown option '--fast'"); keep its words.
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

function positiveNumber(text: unknown, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) {
    throw new UsageError(
      `${flag} must be a positive number of milliseconds, got "${String(text)}"`,
    );
  }
  return value;
}

function positiveInteger(text: unknown, flag: string, fallback: number): number {
  const value = positiveNumber(text, flag, fallback);
  if (!Number.isSafeInteger(value))
    throw new UsageError(`${flag} must be an integer, got "${String(text)}"`);
  return value;
}

function optionalNumber(text: unknown, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new UsageError(`${flag} must be a number of milliseconds ≥ 0, got "${String(text)}"`);
  }
  return value;
}

function codeOf(error: unknown): string {
  if (error instanceof DigestsError || error instanceof CommandError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'DIGESTS_UNEXPECTED';
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // A store that cannot be reached says why in its cause (ECONNREFUSED, …).
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error.message.endsWith(cause.slice(2)) ? error.message : `${error.message}${cause}`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
