/**
 * Reading a command line: `node:util`'s `parseArgs` with the CLI's own
 * wording for what it gets wrong — an unknown option names the nearest
 * known one, and a negative number after an option is that option's value
 * (`--interval -5`), checked by the option's own rule.
 *
 * @module
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { nearestName } from '@digests/core';
import { UsageError } from './errors.js';

/** One option of a command, as `parseArgs` takes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly default?: string | boolean;
}

/** Parsed values by option name. */
export type Values = Partial<Record<string, string | boolean>>;

/**
 * Parses `args` for `command`; throws {@link UsageError} in plain words.
 *
 * @example
 * ```ts
 * parseCommandLine('worker', ['--interval', '-5'], { interval: { type: 'string' } });
 * // { values: { interval: '-5' }, positionals: [] } — the range check says what is wrong
 * ```
 */
export function parseCommandLine(
  command: string,
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): { values: Values; positionals: string[] } {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    // parseArgs refuses "--interval -5" as ambiguous; a value that looks like a number is meant as one.
    if (
      name !== undefined &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  for (const arg of joined) {
    if (arg === '--') break;
    const name =
      /^--([^=]+)/.exec(arg)?.[1] ??
      (/^-([^-])$/.exec(arg)?.[1] ? shortName(arg[1]!, options) : undefined);
    if (arg.startsWith('-') && name === undefined && !/^-\d/.test(arg)) {
      throw new UsageError(`${command}: unknown option ${arg}${hint(arg, options)}`);
    }
    if (name !== undefined && options[name] === undefined) {
      throw new UsageError(`${command}: unknown option --${name}${hint(name, options)}`);
    }
  }
  try {
    const { values, positionals } = parseArgs({
      args: joined,
      options: options as ParseArgsConfig['options'],
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Values, positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /'(--?[^ ']+)/.exec((error as Error).message)?.[1] ?? 'an option';
      throw new UsageError(
        `${command}: ${option} ${option.startsWith('--') && options[option.slice(2)]?.type === 'boolean' ? 'takes no value' : 'needs a value'}`,
      );
    }
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

function shortName(
  letter: string,
  options: Readonly<Record<string, OptionSpec>>,
): string | undefined {
  return Object.entries(options).find(([, spec]) => spec.short === letter)?.[0];
}

function hint(given: string, options: Readonly<Record<string, OptionSpec>>): string {
  const names = Object.keys(options);
  const nearest = nearestName(given.replace(/^-+/, ''), names);
  return nearest === undefined
    ? ` (options: ${names.map((name) => `--${name}`).join(', ')})`
    : ` (did you mean --${nearest}?)`;
}
