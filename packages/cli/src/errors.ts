/**
 * Errors of the command line itself, beside the library's `DigestsError`s.
 *
 * @module
 */

/**
 * The command line was wrong: an unknown command or option, a missing
 * argument. Exits 2 with the message and a pointer to `--help`.
 *
 * @example
 * ```ts
 * if (key === undefined) throw new UsageError('inspect needs a KEY');
 * ```
 */
export class UsageError extends Error {
  readonly code = 'DIGESTS_USAGE';
}

/**
 * The command is valid but cannot run here, e.g. `stats` on a backend that
 * cannot count. Exits 1 with `code`.
 *
 * @example
 * ```ts
 * throw new CommandError('this backend cannot count its keys', 'DIGESTS_STATS_UNSUPPORTED');
 * ```
 */
export class CommandError extends Error {
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
