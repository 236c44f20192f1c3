/**
 * What the worker reports: `warn` for what it survived (a pass that could not
 * reach the store, a lost lease), `error` for a failed delivery. `console`
 * fits.
 *
 * @example
 * ```ts
 * const logger: WorkerLogger = {
 *   warn: (message, context) => pino.warn(context, message),
 *   error: (message, context) => pino.error(context, message),
 * };
 * ```
 */
export interface WorkerLogger {
  warn(message: string, context?: Readonly<Record<string, unknown>>): void;
  error(message: string, context?: Readonly<Record<string, unknown>>): void;
}

/**
 * Drops everything: the default.
 *
 * @example
 * ```ts
 * new DigestWorker({ backend, deliver, logger: process.env.DEBUG ? console : silentWorkerLogger });
 * ```
 */
export const silentWorkerLogger: WorkerLogger = Object.freeze({
  warn: () => undefined,
  error: () => undefined,
});
