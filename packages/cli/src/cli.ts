/**
 * The `digests` command line, as a function: `run(argv, io)` parses, runs
 * one command and resolves the exit code — 0 ok, 1 runtime error (the
 * error's `code` on stderr), 2 usage error. `bin.ts` hands it the process.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { DigestsError, nearestName } from '@digests/core';
import { parseCommandLine, type Values } from './args.js';
import { addCommand, type ParsedAdd, parseAddInput } from './commands/add.js';
import { DASHBOARD_FLAGS, dashboardCommand, dashboardFlags } from './commands/dashboard.js';
import { deleteCommand } from './commands/delete.js';
import { flushCommand } from './commands/flush.js';
import { inspectCommand } from './commands/inspect.js';
import { listCommand } from './commands/list.js';
import { quarantineCommand } from './commands/quarantine.js';
import { removeCommand } from './commands/remove.js';
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
  list: { ...COMMON, state: { type: 'string' }, limit: { type: 'string' } },
  remove: COMMON,
  flush: COMMON,
  delete: COMMON,
  quarantine: { ...COMMON, delete: { type: 'boolean', default: false } },
} as const;

type Command = keyof typeof OPTIONS;

/** What each command takes besides options: [fewest, most] positionals and how to call them. */
const ARGUMENTS: Readonly<Record<Command, readonly [number, number, string]>> = {
  worker: [0, 0, ''],
  inspect: [1, 1, 'KEY'],
  dashboard: [0, 0, ''],
  stats: [0, 0, ''],
  add: [1, 1, 'KEY'],
  list: [0, 0, ''],
  remove: [2, Number.POSITIVE_INFINITY, 'KEY RECORD…'],
  flush: [1, 1, 'KEY'],
  delete: [1, 1, 'KEY'],
  quarantine: [1, Number.POSITIVE_INFINITY, 'KEY [--delete [RECORD…]]'],
};

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
    const nearest = nearestName(first, Object.keys(OPTIONS));
    throw new UsageError(
      `unknown command "${first}"${nearest === undefined ? '' : ` — did you mean "${nearest}"?`} (commands: ${Object.keys(OPTIONS).join(', ')})`,
    );
  }
  const command = first as Command;
  const { values, positionals } = parseCommandLine(command, rest, OPTIONS[command]);
  if (values.help) {
    io.stdout(COMMAND_USAGE[command]!);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const [fewest, most, shape] = ARGUMENTS[command];
  if (positionals.length < fewest) {
    throw new UsageError(`${command} needs ${most === 1 ? 'a KEY' : shape}`);
  }
  if (
    positionals.length > most ||
    (command === 'quarantine' && positionals.length > 1 && values.delete !== true)
  ) {
    throw new UsageError(
      `${command} takes ${most === 0 ? 'no arguments' : most === 1 ? 'one KEY' : shape}, got ${positionals.join(' ')}`,
    );
  }
  const key = positionals[0]!;
  // Check every flag before touching the store.
  const flags = {
    interval: positiveNumber(values.interval, '--interval'),
    concurrency: positiveInteger(values.concurrency, '--concurrency'),
    maintenanceAge: optionalNumber(values['maintenance-age'], '--maintenance-age'),
    statusEvery: positiveNumber(values['status-every'], '--status-every') ?? 60_000,
    limit: positiveInteger(values.limit, '--limit') ?? 100,
    state: listState(values.state),
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
    await runCommand(
      { command, key, records: positionals.slice(1), values, flags, add },
      store,
      io,
      out,
    );
  } finally {
    await store.close();
  }
  return EXIT.ok;
}

/** A command line, checked: everything but the store. */
interface Request {
  readonly command: Command;
  readonly key: string;
  /** Positionals after KEY (`remove`, `quarantine --delete`). */
  readonly records: readonly string[];
  readonly values: Values;
  readonly flags: {
    readonly interval: number | undefined;
    readonly concurrency: number | undefined;
    readonly maintenanceAge: number | undefined;
    readonly statusEvery: number;
    readonly limit: number;
    readonly state: 'waiting' | 'ready' | undefined;
  };
  readonly add: ParsedAdd | undefined;
}

async function runCommand(
  { command, key, records, values, flags, add }: Request,
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
    case 'list':
      return listCommand(
        store.backend,
        { limit: flags.limit, ...(flags.state === undefined ? {} : { state: flags.state }) },
        out,
      );
    case 'remove':
      return removeCommand(store.backend, key, records, out);
    case 'flush':
      return flushCommand(store.backend, key, out);
    case 'delete':
      return deleteCommand(store.backend, key, out);
    case 'quarantine':
      return quarantineCommand(
        store.backend,
        key,
        { delete: values.delete === true, recordKeys: records },
        out,
      );
    case 'worker': {
      // Flags win over the config's "worker" section, which wins over the defaults.
      const configured = store.worker ?? {};
      const maintenanceAge = flags.maintenanceAge ?? configured.maintenanceAge;
      await workerCommand(
        store.backend,
        {
          interval: flags.interval ?? configured.interval ?? 10_000,
          concurrency: flags.concurrency ?? configured.concurrency ?? 4,
          ...(maintenanceAge === undefined ? {} : { maintenanceAge }),
          ...(configured.keys === undefined ? {} : { keys: configured.keys }),
          once: values.once === true,
          statusEvery: flags.statusEvery,
          ...(io.signal ? { signal: io.signal } : {}),
          description: store.description,
        },
        out,
      );
    }
  }
}

function positiveNumber(text: unknown, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(text !== '' && Number.isFinite(value) && value > 0)) {
    throw new UsageError(
      `${flag} must be a positive number of milliseconds, got "${String(text)}"`,
    );
  }
  return value;
}

function positiveInteger(text: unknown, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(text !== '' && Number.isSafeInteger(value) && value >= 1)) {
    throw new UsageError(`${flag} must be a whole number ≥ 1, got "${String(text)}"`);
  }
  return value;
}

function optionalNumber(text: unknown, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(text !== '' && Number.isFinite(value) && value >= 0)) {
    throw new UsageError(`${flag} must be a number of milliseconds ≥ 0, got "${String(text)}"`);
  }
  return value;
}

function listState(text: unknown): 'waiting' | 'ready' | undefined {
  if (text === undefined) return undefined;
  if (text !== 'waiting' && text !== 'ready') {
    throw new UsageError(`--state must be waiting or ready, got "${String(text)}"`);
  }
  return text;
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
