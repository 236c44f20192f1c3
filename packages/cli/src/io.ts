/**
 * What a command may touch of the outside world. `bin.ts` passes the real
 * process; tests pass buffers, an environment and an abort signal.
 *
 * @module
 */

/**
 * The CLI's window on the process.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {}, cwd: '/tmp' };
 * const code = await run(['stats', '--config', 'memory.json'], io);
 * ```
 */
export interface CliIo {
  /** Writes text to standard output (no newline added). */
  readonly stdout: (text: string) => void;
  /** Writes text to standard error (no newline added). */
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (the config) resolve against this. */
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: `worker` stops gracefully and exits 0. */
  readonly signal?: AbortSignal;
  /** The source of "now" for display; default `Date.now`. */
  readonly now?: () => number;
}
